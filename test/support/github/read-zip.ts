import { crc32, inflateRawSync } from 'node:zlib';

const END_OF_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;

/** The files of a zip archive (stored or deflated entries), path → bytes; directories are left out. */
export function readZip(zip: Buffer | ArrayBuffer | Uint8Array): Record<string, Buffer> {
  const buffer =
    zip instanceof ArrayBuffer ? Buffer.from(zip) : Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = findEndOfDirectory(buffer);
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < count; i += 1) {
    if (buffer.readUInt32LE(at) !== CENTRAL_ENTRY)
      throw new Error(`readZip: bad central directory entry ${i}`);
    const method = buffer.readUInt16LE(at + 10);
    const crc = buffer.readUInt32LE(at + 16);
    const compressedSize = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const localOffset = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;

    if (buffer.readUInt32LE(localOffset) !== LOCAL_ENTRY)
      throw new Error(`readZip: bad local header for ${name}`);
    // The local header's own name and extra lengths may differ from the central directory's.
    const start =
      localOffset + 30 + buffer.readUInt16LE(localOffset + 26) + buffer.readUInt16LE(localOffset + 28);
    const raw = buffer.subarray(start, start + compressedSize);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
    if (!data) throw new Error(`readZip: ${name} uses compression method ${method}, not stored or deflated`);
    if (crc32(data) !== crc) throw new Error(`readZip: CRC mismatch for ${name}`);
    files[name] = data;
  }
  return files;
}

function findEndOfDirectory(buffer: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 0xffff); at -= 1) {
    if (buffer.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  throw new Error('readZip: not a zip archive (no end of central directory record)');
}
