// PIGEON_CHECK: an invariant of the program itself (never of its input). A failure is a bug, so
// it aborts with the location; bad input must be handled with Result or defects instead.
#pragma once

#include <cstdio>
#include <cstdlib>

#define PIGEON_CHECK(cond)                                                          \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)
