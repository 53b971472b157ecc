// See wal_write_buffer.h. Every method forwards to the default VFS; a WAL file also keeps the
// bytes of consecutive writes (a run of frames) in a buffer until something needs them in the
// file. The WAL format (https://sqlite.org/fileformat2.html#walformat): a 32-byte header, then
// frames of a 24-byte header and a page; a frame header's bytes 4-7 hold the database size in
// pages after a commit, 0 for the other frames of a transaction.
#include "common/store/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

namespace pigeon::store {
namespace {

// The default VFS writes at most 128 KiB - 1 bytes in one call (seekAndWriteFd).
constexpr int kBufferBytes = 120 * 1024;
constexpr int kFrameHeaderBytes = 24;
// A synced WAL is grown with zeros to a multiple of this. A commit that makes the file longer
// syncs its inode (size, new blocks) as well as its frames: a second device write, which cost
// pigeond about a millisecond a message while its WAL grew. Frames written over zeros change
// no metadata. Zeros past the last frame are what SQLite reads as the end of the log, as it
// does the older frames it leaves there after every restart of the log.
constexpr sqlite3_int64 kGrowthBytes = 1 << 20;

// SQLite allocates szOsFile bytes per open file; ours holds this, then the default VFS's file.
// Plain data: SQLite neither constructs nor destroys it.
struct File {
  sqlite3_file base;   // base.pMethods: one of kMethods, or nullptr when the open failed
  sqlite3_file* real;  // the default VFS's file, just after this struct
  File* wal;           // a database file: its WAL file while that is open
  File* database;      // a WAL file: its database file (buffering needs it), else nullptr
  bool buffered;       // a WAL file whose writes are gathered
  char* buffer;        // kBufferBytes, allocated at the first write
  sqlite3_int64 buffer_offset;
  int buffer_used;
  bool flush_after_next;  // the last write was the header of a commit frame
  bool holds_write_lock;  // a database file whose connection holds its WAL's write lock
  int failed;             // a write-out that had no caller to fail: the next call reports it
};

constexpr int kFileBytes = (sizeof(File) + 7) / 8 * 8;

sqlite3_vfs* RealVfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }
File* AsFile(sqlite3_file* file) { return reinterpret_cast<File*>(file); }
const sqlite3_io_methods* Real(File* f) { return f->real->pMethods; }

int Flush(File* f) {
  if (f->buffer_used == 0) return SQLITE_OK;
  const int used = f->buffer_used;
  f->buffer_used = 0;
  return Real(f)->xWrite(f->real, f->buffer, used, f->buffer_offset);
}

// The frames of a commit were written out (or failed) at the commit frame itself; what remains
// here is at most the start of a transaction still open. A failure cannot be returned from
// here, so the WAL's next read, write or sync reports it and that transaction fails.
void FlushWal(File* database) {
  File* wal = database->wal;
  if (wal == nullptr) return;
  if (int rc = Flush(wal); rc != SQLITE_OK && wal->failed == SQLITE_OK) wal->failed = rc;
}

int TakeFailure(File* f) {
  const int rc = f->failed;
  f->failed = SQLITE_OK;
  return rc;
}

bool IsCommitFrameHeader(const void* data) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  return (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File* f = AsFile(file);
  if (int rc = TakeFailure(f); rc != SQLITE_OK) return rc;
  if (!f->buffered) return Real(f)->xWrite(f->real, data, amount, offset);
  if (f->buffer == nullptr) {
    f->buffer = static_cast<char*>(sqlite3_malloc(kBufferBytes));
    if (f->buffer == nullptr) {
      f->buffered = false;
      return Real(f)->xWrite(f->real, data, amount, offset);
    }
  }
  if (f->buffer_used > 0 &&
      (offset != f->buffer_offset + f->buffer_used || f->buffer_used + amount > kBufferBytes)) {
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  }
  const bool flush_now = f->flush_after_next;
  f->flush_after_next = amount == kFrameHeaderBytes && IsCommitFrameHeader(data);
  if (amount > kBufferBytes) return Real(f)->xWrite(f->real, data, amount, offset);
  if (f->buffer_used == 0) f->buffer_offset = offset;
  std::memcpy(f->buffer + f->buffer_used, data, static_cast<size_t>(amount));
  f->buffer_used += amount;
  return flush_now ? Flush(f) : SQLITE_OK;
}

int Close(sqlite3_file* file) {
  File* f = AsFile(file);
  const int flushed = Flush(f);
  if (f->database != nullptr) f->database->wal = nullptr;
  if (f->wal != nullptr) {  // not SQLite's order, but then the WAL goes unbuffered
    FlushWal(f);
    f->wal->buffered = false;
    f->wal->database = nullptr;
  }
  sqlite3_free(f->buffer);
  f->buffer = nullptr;
  const int closed = Real(f)->xClose(f->real);
  return flushed != SQLITE_OK ? flushed : closed;
}

int Read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  File* f = AsFile(file);
  if (int rc = TakeFailure(f); rc != SQLITE_OK) return rc;
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->xRead(f->real, data, amount, offset);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  File* f = AsFile(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->xTruncate(f->real, size);
}

// Writes zeros from the end of `f` to the next multiple of kGrowthBytes.
int GrowWithZeros(File* f) {
  sqlite3_int64 size = 0;
  if (int rc = Real(f)->xFileSize(f->real, &size); rc != SQLITE_OK) return rc;
  if (size % kGrowthBytes == 0) return SQLITE_OK;
  static const char kZeros[64 * 1024] = {};
  const sqlite3_int64 end = (size / kGrowthBytes + 1) * kGrowthBytes;
  for (sqlite3_int64 at = size; at < end;) {
    const int amount = static_cast<int>(std::min<sqlite3_int64>(sizeof kZeros, end - at));
    if (int rc = Real(f)->xWrite(f->real, kZeros, amount, at); rc != SQLITE_OK) return rc;
    at += amount;
  }
  return SQLITE_OK;
}

int Sync(sqlite3_file* file, int flags) {
  File* f = AsFile(file);
  if (int rc = TakeFailure(f); rc != SQLITE_OK) return rc;
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  // Only under the write lock: a checkpoint also syncs the WAL, and its zeros could land on a
  // frame a writer appends meanwhile. Best effort: without the zeros (a full disk) the sync
  // still makes the frames durable.
  if (f->buffered && f->database != nullptr && f->database->holds_write_lock) {
    (void)GrowWithZeros(f);
  }
  return Real(f)->xSync(f->real, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  File* f = AsFile(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->xFileSize(f->real, size);
}

int Lock(sqlite3_file* file, int level) {
  return Real(AsFile(file))->xLock(AsFile(file)->real, level);
}

int Unlock(sqlite3_file* file, int level) {
  return Real(AsFile(file))->xUnlock(AsFile(file)->real, level);
}

int CheckReservedLock(sqlite3_file* file, int* result) {
  return Real(AsFile(file))->xCheckReservedLock(AsFile(file)->real, result);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  File* f = AsFile(file);
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->xFileControl(f->real, op, arg);
}

int SectorSize(sqlite3_file* file) { return Real(AsFile(file))->xSectorSize(AsFile(file)->real); }

int DeviceCharacteristics(sqlite3_file* file) {
  return Real(AsFile(file))->xDeviceCharacteristics(AsFile(file)->real);
}

// The shared-memory methods are the database file's; its WAL is written out before each, so
// no lock changes hands (and no WAL index header is published) with frames still buffered.
int ShmMap(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  File* f = AsFile(file);
  FlushWal(f);
  return Real(f)->xShmMap(f->real, page, page_size, extend, out);
}

// SQLite's WAL_WRITE_LOCK: the shared-memory lock a writer holds from its first frame to the
// end of its commit; no other connection writes the WAL meanwhile.
constexpr int kWalWriteLock = 0;

int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  File* f = AsFile(file);
  FlushWal(f);
  const int rc = Real(f)->xShmLock(f->real, offset, n, flags);
  if (rc == SQLITE_OK && offset <= kWalWriteLock && kWalWriteLock < offset + n) {
    if ((flags & SQLITE_SHM_UNLOCK) != 0) {
      f->holds_write_lock = false;
    } else if ((flags & SQLITE_SHM_EXCLUSIVE) != 0) {
      f->holds_write_lock = true;
    }
  }
  return rc;
}

void ShmBarrier(sqlite3_file* file) {
  File* f = AsFile(file);
  FlushWal(f);
  Real(f)->xShmBarrier(f->real);
}

int ShmUnmap(sqlite3_file* file, int delete_flag) {
  File* f = AsFile(file);
  FlushWal(f);
  return Real(f)->xShmUnmap(f->real, delete_flag);
}

int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return Real(AsFile(file))->xFetch(AsFile(file)->real, offset, amount, out);
}

int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  return Real(AsFile(file))->xUnfetch(AsFile(file)->real, offset, page);
}

// One table per io_methods version, so SQLite never calls what the default file lacks.
constexpr sqlite3_io_methods MethodsOfVersion(int version) {
  return sqlite3_io_methods{version,
                            Close,
                            Read,
                            Write,
                            Truncate,
                            Sync,
                            FileSize,
                            Lock,
                            Unlock,
                            CheckReservedLock,
                            FileControl,
                            SectorSize,
                            DeviceCharacteristics,
                            ShmMap,
                            ShmLock,
                            ShmBarrier,
                            ShmUnmap,
                            Fetch,
                            Unfetch};
}
constexpr sqlite3_io_methods kMethods[] = {MethodsOfVersion(1), MethodsOfVersion(2),
                                           MethodsOfVersion(3)};

bool IsOurs(const sqlite3_file* file) {
  for (const sqlite3_io_methods& methods : kMethods) {
    if (file->pMethods == &methods) return true;
  }
  return false;
}

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  File* f = AsFile(file);
  std::memset(f, 0, sizeof(File));
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kFileBytes);
  sqlite3_vfs* real_vfs = RealVfs(vfs);
  const int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->base.pMethods = nullptr;
    return rc;
  }
  int version = f->real->pMethods->iVersion;
  version = version < 1 ? 1 : (version > 3 ? 3 : version);
  f->base.pMethods = &kMethods[version - 1];
  // A WAL is buffered only when its database file, whose shared-memory calls write it out,
  // is one of ours.
  if ((flags & SQLITE_OPEN_WAL) != 0 && name != nullptr) {
    sqlite3_file* database = sqlite3_database_file_object(name);
    if (database != nullptr && IsOurs(database)) {
      f->database = AsFile(database);
      f->database->wal = f;
      f->buffered = true;
    }
  }
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return RealVfs(vfs)->xDelete(RealVfs(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* result) {
  return RealVfs(vfs)->xAccess(RealVfs(vfs), name, flags, result);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return RealVfs(vfs)->xFullPathname(RealVfs(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return RealVfs(vfs)->xDlOpen(RealVfs(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int size, char* out) {
  RealVfs(vfs)->xDlError(RealVfs(vfs), size, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return RealVfs(vfs)->xDlSym(RealVfs(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { RealVfs(vfs)->xDlClose(RealVfs(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return RealVfs(vfs)->xRandomness(RealVfs(vfs), size, out);
}
int Sleep(sqlite3_vfs* vfs, int microseconds) {
  return RealVfs(vfs)->xSleep(RealVfs(vfs), microseconds);
}
int CurrentTime(sqlite3_vfs* vfs, double* now) {
  return RealVfs(vfs)->xCurrentTime(RealVfs(vfs), now);
}
int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return RealVfs(vfs)->xGetLastError(RealVfs(vfs), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* now) {
  return RealVfs(vfs)->xCurrentTimeInt64(RealVfs(vfs), now);
}

const char* Register() {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  if (real == nullptr || real->iVersion < 2) return nullptr;
  // Lives as long as the process: SQLite keeps a pointer to it once registered.
  static sqlite3_vfs vfs = {};
  vfs.iVersion = 2;  // no system-call overrides (version 3): nothing here uses them
  vfs.szOsFile = kFileBytes + real->szOsFile;
  vfs.mxPathname = real->mxPathname;
  vfs.zName = "pigeon-wal-buffer";
  vfs.pAppData = real;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK) return nullptr;
  return vfs.zName;
}

}  // namespace

const char* WalWriteBufferVfs() {
  static const char* const name = Register();
  return name;
}

}  // namespace pigeon::store
