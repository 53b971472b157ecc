// Heap settings for an interactive program that handles a large message now and then (the
// reader opening a 1 MB message): every fresh 4 KiB page it touches costs a page fault, and on
// virtual machines a fault costs tens of microseconds, so the few megabytes of copies and lines
// of one big message took tens of milliseconds of faults. Process-wide: call once, early in
// main, before other threads start.
#pragma once

namespace pigeon::sys {

// Keeps large blocks in the main heap (freed ones are reused by the next message instead of
// being unmapped and faulted in again), grows the heap in large steps, and asks the kernel for
// transparent huge pages there (one fault per 2 MiB where the kernel allows it: "madvise" or
// "always" in /sys/kernel/mm/transparent_hugepage/enabled). Best effort: a refusal changes
// nothing but speed.
void TuneHeapForLargeBlocks();

}  // namespace pigeon::sys
