/** A queue tab counts up to this many incidents and then says "more than": a count past it would read every row. */
export const TAB_COUNT_LIMIT = 1000;

/** A tab's count as shown and as read aloud: exact up to TAB_COUNT_LIMIT, then "1,000+". */
export function tabCount(n: number, limit = TAB_COUNT_LIMIT): { text: string; spoken: string } {
  const shown = Math.min(n, limit).toLocaleString('en-GB');
  return n > limit
    ? { text: `${shown}+`, spoken: `more than ${shown} incidents` }
    : { text: shown, spoken: `${shown} incident${n === 1 ? '' : 's'}` };
}
