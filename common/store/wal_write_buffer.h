// A SQLite VFS that is the default one ("unix") except that consecutive writes to a WAL file are
// gathered into one write of up to 120 KiB. SQLite writes every WAL frame as two calls (its
// 24-byte header, then the page), and on this kind of machine a system call costs more than
// copying the page: half of the writing thread of an import went to them.
// What readers see and what survives a crash are unchanged: the bytes of a commit frame are
// written out (and a failure returned) before SQLite publishes the commit in the WAL index,
// the buffer is written out before every read, sync, truncate or size of the WAL and before
// any change of the shared-memory locks; nothing but WAL files is buffered. A WAL synced by
// the writer holding its lock is also padded with zeros to a whole MiB, so that durable
// commits (pigeond's) overwrite zeros instead of making the file longer at every sync.
#pragma once

namespace pigeon::store {

// The VFS's name for sqlite3_open_v2; registered (not as the default) on first use. nullptr
// (the default VFS) when it cannot be registered.
const char* WalWriteBufferVfs();

}  // namespace pigeon::store
