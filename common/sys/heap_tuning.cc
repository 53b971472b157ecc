// See heap_tuning.h.
#include "common/sys/heap_tuning.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace pigeon::sys {
namespace {

constexpr int kMmapThreshold = 64 << 20;  // blocks up to this come from the heap
constexpr int kTrimThreshold = 128 << 20;
constexpr int kTopPad = 16 << 20;  // each heap growth adds this much
constexpr uintptr_t kHugePage = 2 << 20;

}  // namespace

void TuneHeapForLargeBlocks() {
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
  mallopt(M_TOP_PAD, kTopPad);
  // Grow the heap now (a block of the pad's size plus the pad; freed at once, it stays as the
  // heap's free top) and mark it for huge pages. Later growths are not marked: this first
  // one holds a big message and its lines.
  void* probe = std::malloc(kTopPad);
  if (probe == nullptr) return;
  const auto start = reinterpret_cast<uintptr_t>(probe);
  const auto end = reinterpret_cast<uintptr_t>(sbrk(0));
  std::free(probe);
  const uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  if (end > aligned) {
    madvise(reinterpret_cast<void*>(aligned), end - aligned, MADV_HUGEPAGE);
  }
}

}  // namespace pigeon::sys
