/**
 * Keywords the task-type rules read, in English, French, Spanish and German (scanned with the other
 * marker classes in one pass, see dense-features.ts) and in Chinese and Japanese (matched as
 * substrings by cjk-scan.ts: those scripts do not put spaces between words). None of these classes is
 * a feature of the quality predictor, so they can grow without changing what it was trained on.
 * Some words also stand in the dense features' classes (dense-features.ts: math, creative, …) on
 * purpose: those lists are frozen with the shipped predictor, these are tuned for the classifier.
 */
import { CODE_MATH_KEYWORDS } from './task-lexicon-code-math.ts';
import { CONVERSATION_KEYWORDS } from './task-lexicon-conversation.ts';
import { TEXT_TASK_KEYWORDS } from './task-lexicon-text.ts';

/** Every keyword class, in the order the marker scan numbers them (the order of the three groups is fixed). */
export const TASK_KEYWORD_CLASSES = { ...TEXT_TASK_KEYWORDS, ...CODE_MATH_KEYWORDS, ...CONVERSATION_KEYWORDS };

type TaskKeywordClass = keyof typeof TASK_KEYWORD_CLASSES;

/** Chinese and Japanese keywords per class, matched as substrings of the instruction. */
export const CJK_KEYWORDS: Partial<Record<TaskKeywordClass | 'question', readonly string[]>> = {
  translate: [
    '翻译',
    '译成',
    '翻成',
    '翻訳',
    '訳して',
    '訳す',
    '英語に',
    '日本語に',
    '中国語に',
    'フランス語に',
    'ドイツ語に',
    '用英语',
    '用日语',
    '用法语',
    '成英文',
    '成中文',
    '怎么说',
    '英訳',
    '和訳',
  ],
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
