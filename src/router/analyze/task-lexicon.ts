/**
 * Keywords the task-type rules read, in English, French, Spanish and German (scanned with the other
 * marker classes in one pass, see dense-features.ts) and in Chinese and Japanese (matched as
 * substrings by cjk-scan.ts: those scripts do not put spaces between words). None of these classes is
 * a feature of the quality predictor, so they can grow without changing what it was trained on.
 */

const LANGUAGE_NAMES = ['english', 'french', 'spanish', 'german', 'italian', 'portuguese', 'chinese', 'japanese', 'korean', 'russian', 'arabic', 'hindi', 'dutch', 'polish', 'turkish', 'swedish', 'greek', 'latin', 'ukrainian', 'vietnamese'];

export const TASK_KEYWORD_CLASSES = {
  translate: [
    'translate', 'translation', 'translating', 'translated', 'translator', 'localization', 'localisation', 'do you say', 'do i say', 'would you say', 'english translation',
    ...['in', 'into', 'to', 'from'].flatMap((p) => LANGUAGE_NAMES.map((l) => `${p} ${l}`)),
    'traduis', 'traduire', 'traduisez', 'traduction', 'comment dit on',
    ...['anglais', 'français', 'francais', 'espagnol', 'allemand', 'italien', 'chinois', 'japonais', 'portugais', 'russe', 'coréen'].map((l) => `en ${l}`),
    'traduce', 'tradúceme', 'traduceme', 'traducir', 'traduzca', 'traducción', 'cómo se dice', 'como se dice',
    ...['inglés', 'ingles', 'español', 'francés', 'alemán', 'italiano', 'chino', 'japonés', 'portugués'].flatMap((l) => [`al ${l}`, `en ${l}`]),
    'übersetze', 'übersetzen', 'übersetzung', 'übersetzt', 'wie sagt man',
    ...['englische', 'deutsche', 'französische', 'spanische', 'italienische', 'chinesische', 'japanische'].map((l) => `ins ${l}`),
    ...['englisch', 'deutsch', 'französisch', 'spanisch', 'italienisch'].map((l) => `auf ${l}`),
  ],
  summarize: [
    'summarize', 'summarise', 'summarized', 'summarizing', 'summary', 'summarization', 'tl dr', 'tldr', 'condense', 'key points', 'main points',
    'gist', 'recap', 'sum up', 'boil this down', 'boil down', 'executive summary', 'synopsis', 'main arguments', 'key takeaways', 'takeaways',
    'shorten', 'main things', 'summaries',
    'résume', 'un résumé', 'le résumé', 'résumé de', 'résumer', 'résumez', 'synthèse', 'synthétise', 'en quelques lignes', 'points clés',
    'resumen', 'resumir', 'resúmeme', 'resume el', 'resume la', 'resume este', 'resume esta', 'puntos clave', 'sintetiza',
    'zusammenfassung', 'zusammenfassen', 'fasse', 'kurz zusammen', 'wichtigsten punkte',
  ],
  extract: [
    'extract', 'extracts', 'extracting', 'pull out', 'list all', 'list every', 'find all', 'find every', 'identify all', 'named entities', 'fill in the',
    'fill in this', 'key value', 'parse this', 'parse the', 'mentioned in', 'are mentioned', 'action items', 'structured data', 'structured fields',
    'into structured', 'quoting them', 'data entry', 'out of this',
    'extrais', 'extraire', 'extrayez', 'relève', 'relever', 'liste tous', 'liste toutes', 'mentionnées', 'mentionnés',
    'extrae', 'extraer', 'extraiga', 'saca los', 'saca las', 'mencionados', 'mencionadas',
    'extrahiere', 'extrahieren', 'liste alle', 'vorkommen', 'genannten',
  ],
  classify: [
    'classify', 'classifier', 'classification', 'categorize', 'categorise', 'sentiment', 'label this', 'label the', 'label each', 'which category',
    ...['this', 'it'].flatMap((w) => ['spam', 'positive', 'negative', 'toxic'].map((l) => `is ${w} ${l}`)),
    'tag this', 'tag each', 'assign one', 'of these labels', 'choose from', 'spam or', 'or not spam', 'positive or negative', 'positive negative',
    'or neutral', 'fact or', 'which genre', 'which department', 'the intent', 'detect the language', 'sort these', 'urgent or', 'rate the urgency', 'tell me if', 'tell me whether', 'say whether', 'decide whether', 'for each one', 'given the categories', 'put each',
    'classe ces', 'classer', 'classifie', 'catégorie', 'catégories', 'positif ou', 'ou négatif',
    'clasifica', 'clasificar', 'categoría', 'categorías', 'positivo o', 'o negativo', 'o neutro', 'spam o',
    'klassifiziere', 'kategorie', 'kategorien', 'ordne', 'positiv oder', 'oder negativ', 'positiv negativ',
  ],
  /** Label words: weaker evidence of classification than the phrases above. */
  labelSet: ['positive', 'negative', 'neutral', 'spam', 'category', 'categories', 'label', 'labels', 'genre', 'intent', 'topic', 'urgency', 'toxic', 'phishing', 'opinion', 'yes or no', 'one word', 'one label', 'stars', 'anger', 'joy', 'sadness', 'fear', 'surprise', 'emotion', 'feature request', 'bug report', 'praise', 'positif', 'négatif', 'positivo', 'negativo', 'neutro', 'positiv', 'negativ', 'stimmung'],
  /** Asking for structured output (with a pasted text, evidence of extraction). */
  structured: ['json', 'table', 'fields', 'schema', 'structured', 'key value', 'iso format', 'one per line', 'as a list', 'a list of', 'format json', 'au format', 'en formato', 'formato json', 'als json'],
  codeNoun: [
    'function', 'program', 'script', 'code', 'class', 'method', 'regex', 'regular expression', 'sql', 'query', 'algorithm', 'bug', 'compile', 'api',
    'unit test', 'unit tests', 'python', 'javascript', 'typescript', 'java', 'rust', 'golang', 'bash', 'git', 'commit', 'docker', 'dockerfile',
    'react', 'component', 'shell', 'linux', 'command line', 'curl', 'pytest', 'traceback', 'exception', 'stack trace', 'compiler', 'html', 'css',
    'node', 'postgres', 'postgresql', 'mysql', 'endpoint', 'handler', 'code review', 'repository', 'type hints', 'docstring', 'kotlin',
    'swift', 'php', 'ruby', 'coding', 'backend', 'frontend', 'developer', 'programmer', 'software engineer', 'npm', 'kubernetes', 'lru cache', 'thread safe', 'fonction', 'requête', 'función', 'código', 'consulta sql', 'funktion',
  ],
  codeVerb: [
    'write', 'implement', 'create', 'fix', 'debug', 'refactor', 'optimize', 'optimise', 'complete', 'generate', 'port', 'convert', 'review',
    'not compile', 'what s wrong', 'speed it up', 'undo', 'explain what this', 'add type', 'écris', 'corrige', 'escribe', 'corrige', 'schreibe',
    'überprüfe', 'prüfe',
  ],
  mathTask: [
    'solve', 'equation', 'integral', 'derivative', 'calculate', 'compute', 'probability', 'remainder', 'divisible',
    'polynomial', 'sqrt', 'simplify', 'evaluate the expression', 'integrate', 'roots', 'how many ways', 'prove that', 'irrational', 'average speed',
    'square root', 'compounded', 'perimeter',
    'résous', 'résoudre', 'résolvez', 'équation', 'calcule', 'calculer', 'vitesse moyenne',
    'resuelve', 'resolver', 'ecuación', 'calcula', 'velocidad media',
    'löse', 'berechne', 'gleichung', 'fläche',
  ],
  /** Word-problem vocabulary: counts towards math only next to numbers. */
  mathCue: [
    'how many', 'how much', 'combien', 'cuántos', 'cuántas', 'cuánto', 'wie viel', 'wieviel', 'wie viele', 'how old', 'how long', 'how far', 'what time', 'total', 'each', 'times', 'twice', 'half', 'older', 'younger', 'mph', 'km', 'cost', 'costs',
    'price', 'buy', 'sells', 'cheapest', 'area', 'radius', 'minutes', 'hours', 'sum', 'degrees', 'celsius', 'fahrenheit', 'percent',
    'kostet', 'euro', 'euros', 'prozent', 'reduziert', 'sobran', 'reparte',
  ],
  writeNoun: [
    'email', 'e mail', 'mail', 'letter', 'note', 'poem', 'story', 'stories', 'haiku', 'limerick', 'lyrics', 'song', 'sonnet', 'toast', 'speech',
    'slogan', 'slogans', 'tagline', 'caption', 'post', 'tweet', 'bio', 'description', 'cover letter', 'auto reply', 'names', 'ideas',
    'opening paragraph', 'novel', 'scene', 'dialogue', 'essay', 'invitation', 'announcement', 'fairy tale', 'bedtime story',
    'poème', 'histoire', 'conte', 'lettre', 'courriel', 'cuento', 'poema', 'historia', 'carta', 'correo', 'nombres', 'gedicht', 'geschichte',
    'brief', 'märchen', 'idées', 'ideen',
  ],
  writeVerb: [
    'write', 'compose', 'create', 'draft', 'imagine', 'tell me', 'come up with', 'give me', 'continue', 'make up', 'think of', 'suggest',
    'écris', 'écrire', 'rédige', 'rédiger', 'escribe', 'escríbeme', 'redacta', 'dame', 'schreibe', 'schreib', 'verfasse',
  ],
  brainstorm: [
    'brainstorm', 'brainstorming', 'come up with', 'ideas for', 'name ideas', 'names for', 'catchy', 'continue the story', 'imagine you are',
    'upon a time',
  ],
  chatCue: [
    'hi', 'hello', 'hey', 'hiya', 'thanks', 'thank you', 'lol', 'haha', 'good morning', 'good evening', 'how are you', 's it going',
    'you up to', 'talk to me', 'chat', 'bored', 'feeling', 'i feel', 'stressed', 'sad', 'lonely', 'anxious', 'tired', 'exhausted', 'hurt', 'excited',
    'any tips', 'any advice', 'advice', 'should i', 'what should i', 'long day', 'best friend', 'my partner', 'talk later', 'cool', 'awesome',
    'congrats', 'promoted', 'just got', 'finally', 'stuck', 'lovely',
    'salut', 'bonjour', 'coucou', 'merci', 'ça va', 'ca va', 'ennuie', 'vacances', 'triste', 'hola', 'gracias', 'qué tal', 'que tal',
    'me siento', 'aburrido', 'hallo', 'danke', 'wie geht', 'guten morgen', 'erleichtert', 'endlich',
  ],
  firstPerson: ['i', 'i m', 'im', 'i ve', 'i d', 'i ll', 'my', 'me', 'myself', 'je', 'j', 'moi', 'mon', 'ma', 'mes', 'yo', 'estoy', 'mi', 'mis', 'ich', 'mein', 'meine', 'mir', 'mich'],
  reasonTask: [
    'pros and cons', 'trade offs', 'tradeoffs', 'trade off', 'step by step', 'think it through', 'think through', 'reason through', 'reason about',
    'reasoning', 'justify', 'conclude', 'valid', 'argument', 'flaw', 'recommendation', 'should our', 'should we', 'should they', 'which would you',
    'which is better', 'rank them', 'decide between', 'under what conditions', 'what factors', 'second order', 'consequences', 'causal',
    'hypothesis', 'hypotheses', 'plausible', 'explanations', 'investigate', 'critically', 'assess', 'evaluate', 'analyze', 'analyse', 'analysis',
    'compare', 'versus', 'always lies', 'the truth', 'liar', 'who owns', 'riddle', 'puzzle', 'balance scale', 'cross a river', 'full order',
    'came first', 'makes sense',
    'avantages', 'inconvénients', 'raisonnement', 'argumentée', 'analyse les', 'analiza', 'paso a paso', 'razona', 'ventajas', 'desventajas',
    'conviene', 'concluir', 'bewerte', 'begründe', 'vor und nachteile', 'vorteile', 'nachteile', 'empfehlung', 'analysiere',
  ],
  qaCue: [
    'quel', 'quelle', 'quels', 'quelles', 'qui a', 'quand', 'où', 'pourquoi', 'est ce que', 'qué', 'cuál', 'cuáles', 'quién', 'cuándo',
    'dónde', 'por qué', 'was ist', 'was sind', 'was bedeutet', 'wer', 'wann', 'warum', 'welche', 'welcher', 'welches', 'tell me about',
    'difference between', 'explain how', 'explain what',
  ],
} as const satisfies Record<string, readonly string[]>;

type TaskKeywordClass = keyof typeof TASK_KEYWORD_CLASSES;

/** Chinese and Japanese keywords per class, matched as substrings of the instruction. */
export const CJK_KEYWORDS: Partial<Record<TaskKeywordClass | 'question', readonly string[]>> = {
  translate: ['翻译', '译成', '翻成', '翻訳', '訳して', '訳す', '英語に', '日本語に', '中国語に', 'フランス語に', 'ドイツ語に', '用英语', '用日语', '用法语', '成英文', '成中文', '怎么说', '英訳', '和訳'],
  summarize: ['总结', '概括', '摘要', '归纳', '要点', '要約', 'まとめ'],
  extract: ['提取', '找出', '抽取', '列出', '抜き出', '抽出', '取り出'],
  classify: ['分类', '分到', '类别', '正面还是负面', '判断', '分類', 'ポジティブ', 'ネガティブ', 'カテゴリ', '判定'],
  codeNoun: ['代码', '函数', '程序', '报错', '脚本', '関数', 'コード', 'プログラム', 'エラー'],
  mathTask: ['方程', '计算', '求解', '解いて', '計算', '面积', '面積', '几个', '多少个', '多少钱', 'いくら', '何個', '等于'],
  writeNoun: ['诗', '故事', '邮件', '物語', '詩', 'メール', '手紙', 'キャッチコピー', '小説', '歌词', '作文'],
  writeVerb: ['写', '書いて', '作って', '考えて', '創作', '创作'],
  brainstorm: ['起名', '点子', '创意', 'アイデア', '考えてください'],
  chatCue: ['你好', '谢谢', '聊聊', '聊天', '心情', '哈哈', 'こんにちは', 'ありがとう', '最近どう', 'おすすめ', '迷って', '嬉しい', '悲しい', '疲れ'],
  firstPerson: ['我', '私', '僕'],
  reasonTask: ['分析', '一步一步', '理由', '说谎', '真话', '推理', '比较', '利弊', '比較', 'メリット', 'デメリット', '結論', '誰'],
  qaCue: ['什么', '吗', '谁', '哪', '多少', '怎么', '为什么', '何', 'どこ', 'いつ', 'ですか', 'なぜ'],
  question: ['？'],
};
