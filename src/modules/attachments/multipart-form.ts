import type { FastifyRequest } from 'fastify';
import type { Upload } from './attachments.service';

/**
 * A file over the limit; a second file, a file under another name, or too many parts; a body that is not
 * complete, well-formed multipart (cut off before its closing boundary, no boundary, a malformed part).
 */
export type MultipartProblem = 'too_large' | 'refused' | 'malformed';

/** A multipart form read into memory: its text fields, its one file, and what was wrong with the file if anything. */
export interface MultipartForm {
  fields: Record<string, string>;
  file: Upload | null;
  problem: MultipartProblem | null;
}

export interface MultipartLimits {
  /** The one file field read; a file under any other name is refused. */
  fileField: string;
  maxFileBytes: number;
  maxFields: number;
  maxParts: number;
}

/** @fastify/multipart's refusals that are the sender's fault: too many parts, files or fields. */
const LIMIT_CODES = new Set(['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT']);

/**
 * Reads a multipart body (@fastify/multipart) into memory, stopping at once when the file passes its limit, so a
 * too-large file costs no more than the limit. Fields that came before the file are kept (the fault form puts the
 * file last, so it can be shown again with what was typed). A body that is not multipart was parsed already (JSON
 * or urlencoded): its fields are the request body's string values.
 */
export async function readMultipartForm(
  req: FastifyRequest,
  limits: MultipartLimits,
): Promise<MultipartForm> {
  const form: MultipartForm = { fields: {}, file: null, problem: null };
  if (!req.isMultipart()) {
    for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string') form.fields[name] = value;
    }
    return form;
  }
  try {
    const parts = req.parts({
      limits: {
        fileSize: limits.maxFileBytes,
        files: 1,
        fields: limits.maxFields,
        parts: limits.maxParts,
        fieldSize: 64 * 1024,
      },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') form.fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== limits.fileField) {
        part.file.resume();
        form.problem = 'refused';
        continue;
      }
      // Past maxFileBytes this throws (RequestFileTooLargeError) and the rest of the file is not read.
      const buffer = await part.toBuffer();
      form.file = { originalname: part.filename, buffer, size: buffer.length };
    }
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') return { ...form, file: null, problem: 'too_large' };
    if (typeof code === 'string' && LIMIT_CODES.has(code)) return { ...form, file: null, problem: 'refused' };
    // Reading the parts only parses what the client sent: any other failure is a body that is not valid
    // multipart (busboy's "Unexpected end of multipart data" for a truncated one), not a fault of ours.
    return { ...form, file: null, problem: 'malformed' };
  }
  return form;
}
