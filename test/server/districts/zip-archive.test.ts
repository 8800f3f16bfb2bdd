import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type ZipEntry, zipArchive } from '../../../src/server/districts/zip-archive.ts';

async function read(archive: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* entries(list: ZipEntry[]): AsyncGenerator<ZipEntry> {
  yield* list;
}

describe('zip archive', () => {
  it('writes the entries in order, each content read as it comes', async () => {
    async function* lines() {
      yield 'a,b\n';
      yield Buffer.from('1,2\n');
    }
    const archive = await read(
      zipArchive(
        entries([
          { name: 'first.json', content: ['{}'] },
          { name: 'second.csv', content: lines() },
        ]),
      ),
    );
    const end = archive.length - 22;
    expect(archive.readUInt32LE(end)).toBe(0x06054b50);
    expect(archive.readUInt16LE(end + 10)).toBe(2);
    const firstName = archive.toString('utf8', 30, 30 + archive.readUInt16LE(26));
    expect(firstName).toBe('first.json');
    const directory = archive.readUInt32LE(end + 16);
    const secondHeader =
      directory +
      46 +
      archive.readUInt16LE(directory + 28) +
      archive.readUInt16LE(directory + 30) +
      archive.readUInt16LE(directory + 32);
    const local = archive.readUInt32LE(secondHeader + 42);
    const nameLength = archive.readUInt16LE(local + 26);
    const start = local + 30 + nameLength + archive.readUInt16LE(local + 28);
    const compressed = archive.readUInt32LE(secondHeader + 20);
    expect(archive.toString('utf8', local + 30, local + 30 + nameLength)).toBe('second.csv');
    expect(inflateRawSync(archive.subarray(start, start + compressed)).toString()).toBe('a,b\n1,2\n');
  });

  it('fails the archive stream when an entry cannot be read midway, instead of hanging', async () => {
    let stopped = false;
    async function* failing() {
      try {
        yield 'header\n';
        throw new Error('the database went away');
      } finally {
        stopped = true;
      }
    }
    async function* never() {
      yield 'never read';
    }
    const archive = zipArchive(
      entries([
        { name: 'a.csv', content: failing() },
        { name: 'b.csv', content: never() },
      ]),
    );
    await expect(read(archive)).rejects.toThrow('the database went away');
    expect(archive.destroyed).toBe(true);
    expect(stopped).toBe(true);
  });

  it('fails the archive stream when listing the entries fails', async () => {
    async function* broken(): AsyncGenerator<ZipEntry> {
      yield { name: 'manifest.json', content: ['{}'] };
      throw new Error('no such table');
    }
    await expect(read(zipArchive(broken()))).rejects.toThrow('no such table');
  });
});
