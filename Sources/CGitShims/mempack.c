#include "CGitShims.h"
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

int rectrack_git_mempack_attach(void *repo_, void **out) {
  git_repository *repo = repo_;
  git_odb *odb = NULL;
  git_odb_backend *backend = NULL;
  int rc = git_repository_odb(&odb, repo);
  if (rc) return rc;
  rc = git_mempack_new(&backend);
  if (rc == 0) rc = git_odb_add_backend(odb, backend, 1000);
  git_odb_free(odb);
  if (rc == 0) *out = backend;
  return rc;
}

int rectrack_git_mempack_flush(void *repo_, void *mempack) {
  git_repository *repo = repo_;
  git_odb_backend *backend = mempack;
  git_buf buf = GIT_BUF_INIT;
  git_odb *odb = NULL;
  git_odb_writepack *wp = NULL;
  git_indexer_progress stats = {0};
  int rc = git_mempack_dump(&buf, repo, backend);
  if (rc) goto done;
  rc = git_repository_odb(&odb, repo);
  if (rc) goto done;
  rc = git_odb_write_pack(&wp, odb, NULL, NULL);
  if (rc) goto done;
  rc = wp->append(wp, buf.ptr, buf.size, &stats);
  if (rc) goto done;
  rc = wp->commit(wp, &stats);
  if (rc) goto done;
  rc = git_mempack_reset(backend);
done:
  if (wp) wp->free(wp);
  git_buf_dispose(&buf);
  if (odb) git_odb_free(odb);
  return rc;
}
