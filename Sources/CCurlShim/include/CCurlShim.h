#ifndef MDRS_CCURL_SHIM_H
#define MDRS_CCURL_SHIM_H

#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot
 * call. These typed wrappers pass each argument with the exact C type the
 * option expects (long, char*, void*, curl_slist*, a callback). */

CURLcode mdrs_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode mdrs_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode mdrs_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode mdrs_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);

typedef size_t (*mdrs_curl_io_callback)(char *buffer, size_t size, size_t count, void *userdata);
CURLcode mdrs_curl_setopt_read_function(CURL *handle, mdrs_curl_io_callback callback);
CURLcode mdrs_curl_setopt_header_function(CURL *handle, mdrs_curl_io_callback callback);
CURLcode mdrs_curl_setopt_write_function(CURL *handle, mdrs_curl_io_callback callback);


CURLcode mdrs_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
