/** What a file system error means, in a few words a user can act on ("no space left on the device"). */
export function fsReason(error: unknown): string {
  const code = (error as {code?: unknown})?.code;
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a folder on its path is a file';
    case 'EIO':
      return 'input/output error (a failing disk or a lost network drive?)';
    case 'EFBIG':
      return 'the file is larger than the file system allows';
    case 'ENAMETOOLONG':
      return 'a name on the path is too long for the file system';
    case 'EEXIST':
      return 'something of that name is in the way';
    case 'ELOOP':
      return 'the path loops through symbolic links';
    default:
      return (error as Error)?.message ?? String(error);
  }
}

/** Whether an error is a file system error (it has an errno code and a system call). */
export function isFsError(error: unknown): error is Error & {code: string; syscall: string} {
  return typeof (error as {code?: unknown})?.code === 'string' && typeof (error as {syscall?: unknown})?.syscall === 'string';
}
