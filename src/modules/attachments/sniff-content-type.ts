/**
 * The content type of a file from its bytes (file-type's magic numbers), never from the uploader's claim.
 * Text that is valid UTF-8 without control characters is `text/plain`; anything unrecognised is
 * `application/octet-stream`, so a browser will never render an upload as HTML.
 */
export async function sniffContentType(data: Buffer): Promise<string> {
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(data);
  if (detected) return detected.mime;
  return looksLikeText(data) ? 'text/plain' : 'application/octet-stream';
}

function looksLikeText(data: Buffer): boolean {
  const sample = data.subarray(0, 8192);
  if (/[\x00-\x08\x0E-\x1F\x7F]/.test(sample.toString('latin1'))) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(
      sample.length < data.length ? trimPartialUtf8(sample) : sample,
    );
    return true;
  } catch {
    return false;
  }
}

/** A sample cut mid-character would fail strict decoding; drop a trailing partial sequence. */
function trimPartialUtf8(sample: Buffer): Buffer {
  let end = sample.length;
  let back = 0;
  while (back < 3 && end - back - 1 >= 0 && (sample[end - back - 1] & 0xc0) === 0x80) back++;
  const lead = sample[end - back - 1];
  if (lead !== undefined && lead >= 0xc0) end = end - back - 1;
  return sample.subarray(0, end);
}
