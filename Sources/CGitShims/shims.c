#include "CGitShims.h"
#include <git2.h>
#include <stdio.h>

int rectrack_git_disable_strict_hash_verification(void) {
  return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

int rectrack_git_set_cache_max_size(long long bytes) {
  return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}

int rectrack_git_cache_commits(long long bytes) {
  int rc = git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)0);
  if (rc == 0) rc = git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TAG, (size_t)0);
  if (rc == 0) rc = git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, (size_t)0);
  if (rc == 0) rc = git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
  return rc;
}

int rectrack_git_set_ssl_cert_locations(const char *file, const char *path) {
  return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, path);
}

int rectrack_git_set_config_search_paths(const char *global, const char *xdg, const char *system) {
  int rc = git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, global);
  if (rc == 0) rc = git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, xdg);
  if (rc == 0) rc = git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, system);
  if (rc == 0) rc = git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA, system);
  return rc;
}

int rectrack_git_get_config_search_path(int level, char *out, unsigned long size) {
  git_buf buf = GIT_BUF_INIT;
  git_config_level_t levels[] = {GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM};
  if (level < 0 || level > 2 || size == 0) return -1;
  int rc = git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, levels[level], &buf);
  if (rc == 0) {
    snprintf(out, size, "%s", buf.ptr ? buf.ptr : "");
  }
  git_buf_dispose(&buf);
  return rc;
}
