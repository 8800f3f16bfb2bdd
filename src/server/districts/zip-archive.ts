import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

/** One file of an archive; its content is read once, when its turn in the archive comes. */
export interface ZipEntry {
  name: string;
  content: Iterable<Buffer | string> | AsyncIterable<Buffer | string>;
}

/**
 * A zip archive written as it is read, by yazl (a maintained zip writer): entries go in in order and each one's
 * content is pulled only as the archive is consumed, so nothing is held in memory. Any failure, listing the
 * entries or reading one, destroys the archive stream with that error: whoever reads it sees the failure
 * instead of waiting for the rest forever. A reader that goes away stops every entry still being read.
 */
export function zipArchive(entries: AsyncIterable<ZipEntry>): Readable {
  const zip = new ZipFile();
  const archive = zip.outputStream as Readable;
  const sources: Readable[] = [];
  const fail = (error: unknown) => {
    if (!archive.destroyed) archive.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  zip.on('error', fail);
  archive.once('close', () => {
    for (const source of sources) source.destroy();
  });

  async function addEntries() {
    for await (const entry of entries) {
      if (archive.destroyed) return;
      const source = Readable.from(entry.content, { objectMode: false });
      source.once('error', fail);
      sources.push(source);
      zip.addReadStream(source, entry.name);
    }
    zip.end();
  }
  addEntries().catch(fail);
  return archive;
}
