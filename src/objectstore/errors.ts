/** An S3 error: its code (`<Error><Code>`), HTTP status and message, as AWS names them. */
export class S3Error extends Error {
  constructor(readonly code: string, readonly status: number, message: string, readonly resource = '') {
    super(message);
    this.name = 'S3Error';
  }
}

export const noSuchBucket = (bucket: string) => new S3Error('NoSuchBucket', 404, `The specified bucket does not exist: ${bucket} (create it with 'aws s3 mb s3://${bucket}').`, `/${bucket}`);
export const noSuchKey = (bucket: string, key: string) => new S3Error('NoSuchKey', 404, `The specified key does not exist: ${key} in bucket ${bucket}.`, `/${bucket}/${key}`);
