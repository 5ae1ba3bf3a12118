export interface PendingUpload {
  fileId: string;
  /** The opaque last segment of the upload_url. */
  uploadKey: string;
  teamId: string;
  userId: string;
  filename: string;
  /** The `length` the app declared to files.getUploadURLExternal. */
  declaredLength: number;
  altText?: string;
  snippetType?: string;
  createdAt: number;
  /** Exactly the bytes POSTed to the upload_url; undefined until then. */
  bytes?: Buffer;
}

/** A file after files.completeUploadExternal. */
export interface UploadedFile {
  id: string;
  teamId: string;
  /** The bot user who uploaded it. */
  userId: string;
  filename: string;
  title: string;
  /** Where it was shared; undefined when completed without a channel (private to the bot). */
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  /** ts of the message that shared it in `channel`. */
  shareTs?: string;
  bytes: Buffer;
  declaredLength: number;
  mimetype: string;
  filetype: string;
  createdAt: number;
}

const MIME_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  html: 'text/html',
};

export class FileStore {
  private readonly pending = new Map<string, PendingUpload>();
  private readonly completed: UploadedFile[] = [];

  start(upload: PendingUpload): void {
    this.pending.set(upload.fileId, upload);
  }

  pendingByKey(uploadKey: string): PendingUpload | undefined {
    return [...this.pending.values()].find((upload) => upload.uploadKey === uploadKey);
  }

  pendingById(fileId: string): PendingUpload | undefined {
    return this.pending.get(fileId);
  }

  /** Completing consumes the pending upload: Slack allows completeUploadExternal only once per file. */
  complete(file: UploadedFile): void {
    this.pending.delete(file.id);
    this.completed.push(file);
  }

  byId(fileId: string): UploadedFile | undefined {
    return this.completed.find((file) => file.id === fileId);
  }

  all(): UploadedFile[] {
    return [...this.completed];
  }

  clear(): void {
    this.pending.clear();
    this.completed.length = 0;
  }
}

export function fileTypeOf(filename: string): { filetype: string; mimetype: string } {
  const dot = filename.lastIndexOf('.');
  const extension = dot >= 0 ? filename.slice(dot + 1).toLowerCase() : '';
  return {
    filetype: extension === '' ? 'binary' : extension,
    mimetype: MIME_TYPES[extension] ?? 'application/octet-stream',
  };
}
