/**
 * The drivers' bound-parameter limits, which cap the rows of one multi-row INSERT
 * (SQLite 32766 since 3.32, PostgreSQL 65535: the wire protocol counts parameters in an int16).
 */
export const SQLITE_MAX_PARAMS = 32_766;
export const POSTGRES_MAX_PARAMS = 65_535;
