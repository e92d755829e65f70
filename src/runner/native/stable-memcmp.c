/*
 * An address-independent memcmp for perftrack's instruction-count mode, preloaded into the
 * plugin child under Valgrind (LD_PRELOAD; src/runner/valgrind.ts) and removed again from the
 * environment of that child's own children (src/runner/plugin-child.ts).
 *
 * Why: glibc's memcmp (__memcmp_avx2_movbe here) takes a slower path when
 * `(s1 | s2) & 4095 > 4064`, i.e. when a 32-byte load from either pointer might cross a page.
 * V8 compares strings with memcmp (string-table lookups, JSON.parse keys), so the same code
 * counted a different number of instructions in two processes whose heaps put one string a
 * few bytes elsewhere: a constant offset per process, the whole of it in memcmp by callgrind's
 * per-function counts (README: "Instruction counts", "Where the same code counted differently
 * in two processes"). This one reads 8
 * bytes at a time with unaligned loads and then byte by byte: the instructions it executes
 * depend on the length and on where the first difference is, never on the addresses.
 *
 * Built with -fno-builtin and -fno-tree-loop-distribute-patterns so the compiler does not
 * turn the loops back into a call to memcmp.
 */
#include <stddef.h>
#include <stdint.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the 8-byte comparison below assumes a little-endian CPU"
#endif

static inline uint64_t load64(const unsigned char *p) {
  uint64_t v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n >= 8; x += 8, y += 8, n -= 8) {
    uint64_t u = load64(x), v = load64(y);
    /* Little-endian: byte-swapped, the first differing byte is the most significant. */
    if (u != v) return __builtin_bswap64(u) < __builtin_bswap64(v) ? -1 : 1;
  }
  for (; n > 0; x++, y++, n--) {
    if (*x != *y) return *x < *y ? -1 : 1;
  }
  return 0;
}

/* glibc's bcmp is memcmp under another name; so is this one. */
int bcmp(const void *a, const void *b, size_t n) __attribute__((alias("memcmp")));
