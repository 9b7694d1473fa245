import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

/**
 * How alike two residents' questions are: Chinese word segmentation (jieba, through @node-rs/jieba),
 * then TF-IDF weighted cosine similarity over the words, with the words that weigh most in the match
 * given as the reason. IDF is taken from the texts compared, so words every ticket uses (小区, 问题)
 * count little and the particulars (路灯, 噪音, a road's name) decide.
 */

let jieba: Jieba | null = null;
const segmenter = () => (jieba ??= Jieba.withDict(dict));

/** Words that say nothing about what a ticket is about. */
const STOP_WORDS = new Set(
  (
    '我们 你们 他们 我家 这个 那个 这里 那里 一个 一下 一些 什么 怎么 为什么 如何 是否 可以 能否 能不能 ' +
    '希望 请问 您好 你好 谢谢 麻烦 问题 情况 反映 解决 处理 现在 目前 已经 还是 但是 而且 因为 所以 ' +
    '非常 特别 比较 经常 一直 每天 时候 有关 相关 部门 群众 居民 委员 工作室 市民 关于 没有 不是 就是 ' +
    '大家 自己 这样 那样 还有 以及 或者 如果 需要 建议 咨询 求助 帮忙 帮助 一下子 多月 好几'
  ).split(' '),
);

/**
 * Where a matter is: road, street, village, community and estate names, house and building numbers.
 * The segmenter splits unknown names (荡湾村 into 荡 湾村), so a place is found by its ending (路, 村,
 * 社区…) and taken with the one to three characters before it, each length a token of its own:
 * "许村镇荡湾村" and "荡湾村" then share 荡湾村. A 路 that starts another word (路灯, 路面) is no place.
 */
const PLACE_ENDING =
  /(?:大道|社区|小区|新村|花园|广场|公园|小学|中学|幼儿园|路|街|巷|村|苑)(?![灯面边况线费由上过口])/gu;
const NUMBERED = /\d+(?:号|幢|栋|弄|单元)/gu;
/** Characters that end a place name going backwards (我们小区旁边的海昌路: 的 ends it). */
const NOT_IN_NAME = /[^\p{Script=Han}]|[的在我们与和边旁后前了是到从往近家里及或镇乡走去来也都很]/u;
/** Generic words that end like a place. */
const NOT_PLACES = new Set(['马路', '道路', '公路', '一路', '出路', '小区', '社区', '新村', '学校', '农村']);

function places(text: string): string[] {
  const found: string[] = [];
  const longest: string[] = [];
  for (const match of text.matchAll(PLACE_ENDING)) {
    const before = [...text.slice(Math.max(0, match.index - 3), match.index)];
    let name = '';
    for (let i = before.length - 1; i >= 0 && !NOT_IN_NAME.test(before[i]!); i -= 1) name = before[i] + name;
    const names = [...name].map((_, i) => [...name].slice(i).join('') + match[0]).filter((p) => !NOT_PLACES.has(p));
    found.push(...names);
    if (names[0]) longest.push(names[0]);
  }
  for (const match of text.matchAll(NUMBERED)) {
    found.push(match[0]);
    longest.push(match[0]);
  }
  // Each place with the next one named: 海昌路 + 文宗路 is the crossing, 钱江新村 + 38幢 the building.
  return [...found, ...longest.slice(1).map((place, i) => `${longest[i]}${place}`)];
}

/** Place tokens carry this mark: they count double, since the same problem elsewhere is another matter. */
const PLACE_MARK = '@';
const PLACE_WEIGHT = 2;

/**
 * The words of a text that can tell one matter from another: two or more characters, no stop words;
 * and its places (see places()), marked.
 */
function words(text: string): string[] {
  const plain = segmenter()
    .cut(text, false)
    .map((word) => word.trim())
    .filter((word) => [...word].length >= 2 && /[\p{Script=Han}A-Za-z0-9]/u.test(word) && !STOP_WORDS.has(word));
  return [...plain, ...places(text).map((place) => `${PLACE_MARK}${place}`)];
}

export interface Match<T> {
  item: T;
  /** Cosine similarity of the TF-IDF vectors, 0–1. */
  score: number;
  /** The shared words that weigh most in the match, heaviest first. */
  sharedWords: string[];
}

type Vector = Map<string, number>;

function termFrequencies(tokens: string[]): Vector {
  const counts: Vector = new Map();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/**
 * The candidates most like `target`, best first: those at or above `minScore`, at most `limit`.
 * `textOf` gives each candidate's text.
 */
export function rankBySimilarity<T>(
  target: string,
  candidates: T[],
  textOf: (item: T) => string,
  options: { minScore?: number; limit?: number; sharedWords?: number } = {},
): Match<T>[] {
  const documents = [words(target), ...candidates.map((item) => words(textOf(item)))].map(termFrequencies);
  const documentFrequency = new Map<string, number>();
  for (const doc of documents)
    for (const word of doc.keys()) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  // Smoothed IDF: a word in every text still weighs a little, one in few weighs most.
  const idf = (word: string) => Math.log((1 + documents.length) / (1 + (documentFrequency.get(word) ?? 0))) + 1;
  const weigh = (doc: Vector): Vector =>
    new Map(
      [...doc].map(([word, count]) => [
        word,
        (1 + Math.log(count)) * idf(word) * (word.startsWith(PLACE_MARK) ? PLACE_WEIGHT : 1),
      ]),
    );
  const norm = (v: Vector) => Math.sqrt([...v.values()].reduce((sum, x) => sum + x * x, 0));

  const [targetVector, ...vectors] = documents.map(weigh);
  const targetNorm = norm(targetVector!);
  if (targetNorm === 0) return [];
  const matches: Match<T>[] = [];
  vectors.forEach((vector, i) => {
    const shared = [...vector].filter(([word]) => targetVector!.has(word));
    if (shared.length === 0) return;
    const dot = shared.reduce((sum, [word, weight]) => sum + weight * targetVector!.get(word)!, 0);
    const score = dot / (targetNorm * norm(vector));
    if (score < (options.minScore ?? 0.2)) return;
    const heaviest = shared
      .map(([word, weight]) => [word, weight * targetVector!.get(word)!] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.sharedWords ?? 5)
      .map(([word]) => word.replace(PLACE_MARK, ''));
    matches.push({ item: candidates[i]!, score: Math.round(score * 1000) / 1000, sharedWords: heaviest });
  });
  return matches.sort((a, b) => b.score - a.score).slice(0, options.limit ?? 5);
}
