import type { Rng } from '@aekit/core';

/**
 * Common English words that pages are written with: short function words
 * often, as in real prose, and longer words for realistic word lengths.
 */
export const WORDS: readonly string[] = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they ' +
  'you were her all she there would their we him been has when who will more no if out so said what up its about ' +
  'into than them can only other new some could time these two may then do first any my now such like our over ' +
  'man me even most made after also did many before must through back years where much your way well down should ' +
  'because each just those people how too little state good very make world still own see men work long get here ' +
  'between both life being under never day same another know while last might us great old year off come since ' +
  'against go came right used take three states himself few house use during without again place american around ' +
  'however home small found thought went say part once general high upon school every does got united left number ' +
  'course war until always away something fact though water less public put think almost hand enough far took head ' +
  'yet government system better set told nothing night end why called eyes find going look asked later knew ' +
  'point next program city business give group toward young days let room president side social given present ' +
  'several order national possible rather second face per among form important often things looked early white case ' +
  'john become large big need four within felt along children saw best church ever least power development light ' +
  'thing seemed family interest want members mind country area others done turned although open god service problem ' +
  'certain kind different thus began door help means sense whole matter perhaps itself york times law human line ' +
  'above name example action company hands local show whether five history gave today either act feet across taken ' +
  'past quite anything seen having death week experience body word half really field am car words already themselves ' +
  'information tell college shall money period held keep sure probably free seems political real behind cannot miss ' +
  'question air office making brought whose special heard major problems ago became federal moment study available ' +
  'known result street economic boy position reason change south board individual job society areas west close turn ' +
  'love community true court force full seem am wife future age voice center woman control common policy necessary ' +
  'following front sometimes six girl clear further land run students provide able feel party music education ' +
  'department report committee research statement agreement invoice payment contract procedure account measurement ' +
  'evidence archive schedule document paragraph chapter section appendix reference summary conclusion'
).split(' ');

const PUNCTUATION = [',', ',', ',', ';', ':'];

/**
 * A seeded word from {@link WORDS}.
 *
 * @param rng - The seeded random number generator to draw from.
 */
export function randomWord(rng: Rng): string {
  return WORDS[Math.floor(rng() * WORDS.length)];
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * One sentence of 5 to 18 words with a capital letter, an occasional comma
 * or number, and a full stop (sometimes a question mark).
 *
 * @param rng - Seeded source of the choices.
 */
export function randomSentence(rng: Rng): string[] {
  const length = 5 + Math.floor(rng() * 14);
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    let word = rng() < 0.04 ? String(Math.floor(rng() * (rng() < 0.5 ? 100 : 2000))) : randomWord(rng);
    if (i === 0) word = capitalise(word);
    else if (rng() < 0.03) word = capitalise(word);
    if (i < length - 1 && i > 1 && rng() < 0.08) word += PUNCTUATION[Math.floor(rng() * PUNCTUATION.length)];
    words.push(word);
  }
  words[length - 1] += rng() < 0.08 ? '?' : '.';
  return words;
}

/**
 * A paragraph of 2 to 7 sentences, as a list of words to be set in lines.
 *
 * @param rng - Seeded source of the choices.
 */
export function randomParagraph(rng: Rng): string[] {
  const sentences = 2 + Math.floor(rng() * 6);
  const words: string[] = [];
  for (let i = 0; i < sentences; i++) words.push(...randomSentence(rng));
  return words;
}

/**
 * A heading of 2 to 6 words in title case, sometimes numbered (`3. Annual Report`).
 *
 * @param rng - Seeded source of the choices.
 */
export function randomHeading(rng: Rng): string {
  const length = 2 + Math.floor(rng() * 5);
  const words = Array.from({ length }, () => capitalise(randomWord(rng)));
  return (rng() < 0.3 ? `${1 + Math.floor(rng() * 9)}. ` : '') + words.join(' ');
}
