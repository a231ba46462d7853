#ifndef MDRS_CPREFETCH_H
#define MDRS_CPREFETCH_H

/* A cache prefetch hint, which Swift has no spelling for. Prefetching never
 * faults, so any address is safe to pass. */
static inline void mdrs_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
