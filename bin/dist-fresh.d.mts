/** Whether dist/ (the compiled CLI) is newer than every file under src/. */
export function compiledIsFresh(root: string): boolean;
