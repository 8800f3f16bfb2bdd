import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';

/** One file of an archive; its content is read once, as the archive is written. */
export interface ZipEntry {
  name: string;
  content: Iterable<Buffer | string> | AsyncIterable<Buffer | string>;
}

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** Sizes and checksum follow the data (bit 3); names are UTF-8 (bit 11). */
const FLAGS = 0x0808;
const DEFLATE = 8;
const VERSION = 20;
const ZIP32_LIMIT = 0xffffffff;

function dosDateTime(at: Date): { time: number; date: number } {
  return {
    time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
    date: ((at.getFullYear() - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
  };
}

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/**
 * A zip archive written as it is read: each entry is deflated on the way through, its checksum and sizes
 * following its data, so no entry is ever held in memory or on disk. Archives stay within the classic format
 * (4 GB per entry and in all, 65,535 entries); a larger one fails rather than come out corrupt.
 */
export async function* zipStream(
  entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>,
): AsyncGenerator<Buffer> {
  const { time, date } = dosDateTime(new Date());
  const written: Written[] = [];
  let offset = 0;
  for await (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(DEFLATE, 8);
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(date, 12);
    header.writeUInt16LE(name.length, 26);
    yield Buffer.concat([header, name]);
    const record: Written = { name, crc: 0, compressed: 0, size: 0, offset };
    offset += header.length + name.length;

    async function* measured() {
      for await (const chunk of entry.content) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        record.crc = crc32(bytes, record.crc);
        record.size += bytes.length;
        yield bytes;
      }
    }
    const deflate = createDeflateRaw();
    const pumped = pipeline(Readable.from(measured()), deflate);
    for await (const chunk of deflate as AsyncIterable<Buffer>) {
      record.compressed += chunk.length;
      yield chunk;
    }
    await pumped;
    if (record.size > ZIP32_LIMIT || record.compressed > ZIP32_LIMIT)
      throw new Error(`${entry.name} is larger than a zip entry can be`);

    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
    descriptor.writeUInt32LE(record.crc, 4);
    descriptor.writeUInt32LE(record.compressed, 8);
    descriptor.writeUInt32LE(record.size, 12);
    yield descriptor;
    offset += record.compressed + descriptor.length;
    written.push(record);
  }
  yield* centralDirectory(written, offset, { time, date });
}

function* centralDirectory(
  written: Written[],
  start: number,
  stamp: { time: number; date: number },
): Generator<Buffer> {
  if (written.length > 0xffff || start > ZIP32_LIMIT)
    throw new Error('The archive is larger than a zip can be');
  let size = 0;
  for (const record of written) {
    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(FLAGS, 8);
    header.writeUInt16LE(DEFLATE, 10);
    header.writeUInt16LE(stamp.time, 12);
    header.writeUInt16LE(stamp.date, 14);
    header.writeUInt32LE(record.crc, 16);
    header.writeUInt32LE(record.compressed, 20);
    header.writeUInt32LE(record.size, 24);
    header.writeUInt16LE(record.name.length, 28);
    header.writeUInt32LE(record.offset, 42);
    size += header.length + record.name.length;
    yield Buffer.concat([header, record.name]);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(written.length, 8);
  end.writeUInt16LE(written.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(start, 16);
  yield end;
}
