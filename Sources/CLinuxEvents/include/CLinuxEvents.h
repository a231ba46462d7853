#ifndef MDRS_CLINUX_EVENTS_H
#define MDRS_CLINUX_EVENTS_H

/* Linux event descriptors that Glibc's Swift module map leaves out. Only
 * headers: the functions are the C library's own. */
#ifdef __linux__
#include <sys/timerfd.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#endif

#endif
