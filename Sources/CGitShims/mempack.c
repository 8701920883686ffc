#include "CGitShims.h"
#include <git2.h>
#include <git2/sys/commit.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <stdlib.h>
#include <string.h>

/* A read-only view of the repository's own object database, for a handle whose new objects go
 * to memory. Unlike the loose and pack stores it has no `freshen` and no `refresh`: libgit2
 * asks whether each object it is about to write exists, and on a miss refreshes every store
 * that can (a stat, an open and a read of objects/pack/ per object, tens of thousands for an
 * import). An object this import writes is new by definition; one that exists was there when
 * the import began, so looking without refreshing is enough. */
typedef struct {
  git_odb_backend parent;
  git_odb *real;
} existing_store;

static int existing_copy(void **data, size_t *len, git_object_t *type, git_odb_backend *b,
                         git_odb_object *obj) {
  *len = git_odb_object_size(obj);
  *type = git_odb_object_type(obj);
  *data = git_odb_backend_data_alloc(b, *len);
  if (*data == NULL) {
    git_odb_object_free(obj);
    return -1;
  }
  memcpy(*data, git_odb_object_data(obj), *len);
  git_odb_object_free(obj);
  return 0;
}

static int existing_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b,
                         const git_oid *id) {
  git_odb_object *obj = NULL;
  int rc = git_odb_read(&obj, ((existing_store *)b)->real, id);
  return rc ? rc : existing_copy(data, len, type, b, obj);
}

static int existing_read_prefix(git_oid *out, void **data, size_t *len, git_object_t *type,
                                git_odb_backend *b, const git_oid *id, size_t n) {
  git_odb_object *obj = NULL;
  int rc = git_odb_read_prefix(&obj, ((existing_store *)b)->real, id, n);
  if (rc) return rc;
  git_oid_cpy(out, git_odb_object_id(obj));
  return existing_copy(data, len, type, b, obj);
}

static int existing_read_header(size_t *len, git_object_t *type, git_odb_backend *b,
                                const git_oid *id) {
  return git_odb_read_header(len, type, ((existing_store *)b)->real, id);
}

static int existing_exists(git_odb_backend *b, const git_oid *id) {
  return git_odb_exists_ext(((existing_store *)b)->real, id, GIT_ODB_LOOKUP_NO_REFRESH);
}

static int existing_exists_prefix(git_oid *out, git_odb_backend *b, const git_oid *id, size_t n) {
  return git_odb_exists_prefix(out, ((existing_store *)b)->real, id, n);
}

static void existing_free(git_odb_backend *b) {
  git_odb_free(((existing_store *)b)->real);
  free(b);
}

int rectrack_git_mempack_attach(void *repo_, void **out) {
  git_repository *repo = repo_;
  git_odb *real = NULL, *odb = NULL;
  git_odb_backend *mempack = NULL;
  existing_store *existing = NULL;
  int rc = git_repository_odb(&real, repo);
  if (rc) return rc;
  if ((rc = git_odb_new(&odb)) < 0) goto fail;
  if ((rc = git_mempack_new(&mempack)) < 0) goto fail;
  if ((rc = git_odb_add_backend(odb, mempack, 2)) < 0) goto fail;
  mempack = NULL; /* the odb owns it now */
  existing = calloc(1, sizeof(*existing));
  if (existing == NULL) {
    rc = -1;
    goto fail;
  }
  git_odb_init_backend(&existing->parent, GIT_ODB_BACKEND_VERSION);
  existing->parent.read = existing_read;
  existing->parent.read_prefix = existing_read_prefix;
  existing->parent.read_header = existing_read_header;
  existing->parent.exists = existing_exists;
  existing->parent.exists_prefix = existing_exists_prefix;
  existing->parent.free = existing_free;
  existing->real = real;
  if ((rc = git_odb_add_backend(odb, &existing->parent, 1)) < 0) {
    existing->real = NULL;
    free(existing);
    goto fail;
  }
  real = NULL; /* the existing store holds it */
  if ((rc = git_repository_set_odb(repo, odb)) < 0) goto fail;
  git_odb_backend *first = NULL;
  if ((rc = git_odb_get_backend(&first, odb, 0)) < 0) goto fail;
  if (first->read == existing_read) {
    rc = -1;
    git_error_set_str(GIT_ERROR_ODB, "the in-memory object store is not first");
    goto fail;
  }
  git_odb_free(odb); /* the repository holds it */
  *out = first;
  return 0;
fail:
  if (mempack) mempack->free(mempack);
  if (odb) git_odb_free(odb);
  if (real) git_odb_free(real);
  return rc;
}

int rectrack_git_mempack_flush(void *repo_, void *mempack, const void *ids_, const char *const *names,
                               size_t count) {
  git_repository *repo = repo_;
  git_odb_backend *backend = mempack;
  const git_oid *ids = ids_;
  git_buf buf = GIT_BUF_INIT;
  git_odb *odb = NULL;
  git_odb_backend *second = NULL;
  git_odb_writepack *wp = NULL;
  git_packbuilder *pb = NULL;
  git_indexer_progress stats = {0};
  int rc;
  if (ids == NULL) {
    /* Every object reachable from the store's commits. */
    rc = git_mempack_dump(&buf, repo, backend);
  } else {
    /* Just the objects named, without walking their trees again. */
    rc = git_packbuilder_new(&pb, repo);
    if (rc) goto done;
    git_packbuilder_set_threads(pb, 0);
    for (size_t i = 0; i < count && rc == 0; i++) rc = git_packbuilder_insert(pb, &ids[i], names[i]);
    if (rc == 0) rc = git_packbuilder_write_buf(&buf, pb);
  }
  if (rc) goto done;
  rc = git_repository_odb(&odb, repo);
  if (rc) goto done;
  /* The pack goes to the repository's own object database, behind the existing store. */
  rc = git_odb_get_backend(&second, odb, 1);
  if (rc) goto done;
  if (second->read != existing_read) {
    rc = -1;
    git_error_set_str(GIT_ERROR_ODB, "the in-memory object store is not set up");
    goto done;
  }
  rc = git_odb_write_pack(&wp, ((existing_store *)second)->real, NULL, NULL);
  if (rc) goto done;
  rc = wp->append(wp, buf.ptr, buf.size, &stats);
  if (rc) goto done;
  rc = wp->commit(wp, &stats);
  if (rc) goto done;
  rc = git_mempack_reset(backend);
done:
  if (pb) git_packbuilder_free(pb);
  if (wp) wp->free(wp);
  git_buf_dispose(&buf);
  if (odb) git_odb_free(odb);
  return rc;
}

int rectrack_git_commit_from_ids(void *out, void *repo, const void *author, const void *committer,
                                 const char *message, const void *tree, size_t parent_count,
                                 const void *parents) {
  const git_oid **ps = calloc(parent_count ? parent_count : 1, sizeof(*ps));
  if (ps == NULL) return -1;
  for (size_t i = 0; i < parent_count; i++) ps[i] = (const git_oid *)parents + i;
  int rc = git_commit_create_from_ids(out, repo, NULL, author, committer, "UTF-8", message, tree,
                                      parent_count, ps);
  free(ps);
  return rc;
}
