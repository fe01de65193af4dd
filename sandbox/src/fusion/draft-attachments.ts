/** Attachments posted to draftPurchaseOrders (fusion.md §3.3): FILE, TEXT or WEB_PAGE. */
import { FusionError } from './errors.js';
import type { Row } from './schemas.js';
import type { Attachment, FusionState } from './state.js';

const TYPES = new Set(['FILE', 'TEXT', 'WEB_PAGE']);
const EDITABLE = ['Title', 'Description', 'CategoryName', 'Url', 'UploadedText', 'FileName'];

function str(body: Record<string, unknown>, attr: string): string | null {
  const v = body[attr];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string')
    throw new FusionError(400, `The attribute ${attr} must be a string.`, 'INVALID_VALUE', attr);
  return v;
}

export function attachmentFromBody(
  state: FusionState,
  body: Record<string, unknown>,
  user: string,
): Attachment {
  const type = str(body, 'DatatypeCode');
  if (!type || !TYPES.has(type)) {
    throw new FusionError(
      400,
      `DatatypeCode ${type ?? '(missing)'} is not valid; use FILE, TEXT or WEB_PAGE.`,
      'INVALID_VALUE',
      'DatatypeCode',
    );
  }
  const url = str(body, 'Url');
  const text = str(body, 'UploadedText');
  const fileName = str(body, 'FileName') ?? str(body, 'UploadedFileName');
  const contents = str(body, 'FileContents');
  if (type === 'WEB_PAGE' && (!url || !/^https?:\/\/\S+$/.test(url))) {
    throw new FusionError(400, 'A WEB_PAGE attachment needs an http(s) Url.', 'INVALID_VALUE', 'Url');
  }
  if (type === 'TEXT' && !text)
    throw new FusionError(400, 'A TEXT attachment needs UploadedText.', 'INVALID_VALUE', 'UploadedText');
  if (type === 'FILE') {
    if (!fileName)
      throw new FusionError(400, 'A FILE attachment needs FileName.', 'INVALID_VALUE', 'FileName');
    if (!contents || !/^[A-Za-z0-9+/]+={0,2}$/.test(contents)) {
      throw new FusionError(
        400,
        'A FILE attachment needs base64 FileContents.',
        'INVALID_VALUE',
        'FileContents',
      );
    }
  }
  for (const attr of Object.keys(body)) {
    if (
      !['DatatypeCode', 'FileContents', 'UploadedFileContentType', 'UploadedFileName', ...EDITABLE].includes(
        attr,
      )
    ) {
      throw new FusionError(
        400,
        `The attribute ${attr} is not valid for attachments.`,
        'INVALID_ATTRIBUTE',
        attr,
      );
    }
  }
  const id = state.nextId();
  const now = state.nowIso();
  const row: Row = {
    AttachedDocumentId: id,
    DatatypeCode: type,
    FileName: type === 'FILE' ? fileName : null,
    DmFolderPath: null,
    DmDocumentId: type === 'FILE' ? `UCMFA${String(id).slice(-8)}` : null,
    DmVersionNumber: type === 'FILE' ? `${String(id).slice(-8)}` : null,
    Url: type === 'WEB_PAGE' ? url : null,
    CategoryName: str(body, 'CategoryName') ?? 'MISC',
    UserName: user,
    Uri: null,
    FileUrl: null,
    UploadedText: type === 'TEXT' ? text : null,
    UploadedFileContentType:
      type === 'FILE' ? (str(body, 'UploadedFileContentType') ?? 'application/octet-stream') : null,
    UploadedFileLength: type === 'FILE' && contents ? Buffer.from(contents, 'base64').length : null,
    UploadedFileName: type === 'FILE' ? fileName : null,
    Title: str(body, 'Title') ?? fileName ?? url ?? 'Attachment',
    Description: str(body, 'Description'),
    CreationDate: now,
    CreatedBy: user,
    LastUpdateDate: now,
    LastUpdatedBy: user,
  };
  const att: Attachment = { row, uniqId: '', fileContents: type === 'FILE' ? contents : null };
  att.uniqId = state.opaqueKey('attachment', id, att);
  return att;
}

export function validateAttachmentPatch(body: Record<string, unknown>): Row {
  const out: Row = {};
  for (const attr of Object.keys(body)) {
    if (!EDITABLE.includes(attr))
      throw new FusionError(
        400,
        `The attribute ${attr} can't be updated on an attachment.`,
        'READ_ONLY_ATTRIBUTE',
        attr,
      );
    out[attr] = str(body, attr);
  }
  return out;
}
