import { createHash } from 'node:crypto';

/**
 * The line each unique value (a serial key, an asset tag) was first seen on, for a file of any size: a 64-bit
 * digest and the line in typed arrays, 16 to 32 bytes a value where a Map of strings took over 100. Two
 * different values share a digest with odds of about one in 10^7 in a file of two million values.
 */
export class FirstSeenLines {
  private high = new Uint32Array(1 << 12);
  private low = new Uint32Array(1 << 12);
  /** 0 marks an empty slot: lines start at 1. */
  private lines = new Uint32Array(1 << 12);
  private size = 0;

  /** The line `key` was seen on before; if it is new, it is recorded as seen on `line` and this is undefined. */
  earlierLine(key: string, line: number): number | undefined {
    const digest = createHash('md5').update(key).digest();
    const high = digest.readUInt32LE(0);
    const low = digest.readUInt32LE(4);
    const mask = this.lines.length - 1;
    let slot = low & mask;
    while (this.lines[slot] !== 0) {
      if (this.high[slot] === high && this.low[slot] === low) return this.lines[slot];
      slot = (slot + 1) & mask;
    }
    this.high[slot] = high;
    this.low[slot] = low;
    this.lines[slot] = line;
    this.size++;
    // Three quarters full at most: probes stay short, and two million values fit in 48 MB.
    if (this.size * 4 > this.lines.length * 3) this.grow();
    return undefined;
  }

  private grow(): void {
    const { high, low, lines } = this;
    this.high = new Uint32Array(lines.length * 2);
    this.low = new Uint32Array(lines.length * 2);
    this.lines = new Uint32Array(lines.length * 2);
    const mask = this.lines.length - 1;
    for (let index = 0; index < lines.length; index++) {
      if (lines[index] === 0) continue;
      let slot = (low[index] as number) & mask;
      while (this.lines[slot] !== 0) slot = (slot + 1) & mask;
      this.high[slot] = high[index] as number;
      this.low[slot] = low[index] as number;
      this.lines[slot] = lines[index] as number;
    }
  }
}
