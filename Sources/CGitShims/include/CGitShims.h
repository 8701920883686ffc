#ifndef RECTRACK_CGITSHIMS_H
#define RECTRACK_CGITSHIMS_H

#include <stddef.h>

/// libgit2's git_libgit2_opts is variadic, which Swift cannot call; these wrap the options used.

/// Turns off re-hashing of every object read (git itself does not do it). Returns libgit2's code.
int rectrack_git_disable_strict_hash_verification(void);

/// Sets libgit2's object cache limit in bytes. Returns libgit2's code.
int rectrack_git_set_cache_max_size(long long bytes);

/// Keeps commits of under 4 KiB (libgit2's default limit for them) in libgit2's object cache, up to
/// `bytes` in all, and no trees, tags or blobs; `bytes` 0 keeps none. Returns libgit2's code.
int rectrack_git_cache_commits(long long bytes);

/// Where libgit2 looks for the global (`.gitconfig`), XDG (`config`) and system (`gitconfig`)
/// configuration files: one folder each (tests point them at their own home). Returns libgit2's code.
int rectrack_git_set_config_search_paths(const char *global, const char *xdg, const char *system);

/// The folder libgit2 searches for one level (0 global, 1 XDG, 2 system), copied into `out`.
/// Returns libgit2's code.
int rectrack_git_get_config_search_path(int level, char *out, unsigned long size);

/// Where TLS certificates of trusted authorities are: a file and/or a folder (either may be NULL).
/// Returns libgit2's code.
int rectrack_git_set_ssl_cert_locations(const char *file, const char *path);

/// A transport (for git_remote_callbacks.transport) for ssh://, ssh+git://, git+ssh:// and
/// scp-like host:path addresses that runs the system's OpenSSH client, as git does
/// ($GIT_SSH_COMMAND, core.sshCommand, $GIT_SSH, else ssh). libgit2 1.5 always prefers its own
/// libssh2 transport over a registered one, so it is chosen per connection instead.
/// (`out` is a git_transport **, `owner` a git_remote *: plain pointers keep git2.h out of this header.)
int rectrack_ssh_exec_transport(void *out, void *owner, void *param);

/// Whether `url` is an SSH address (ssh://... or scp-like host:path), by git's rules.
int rectrack_is_ssh_url(const char *url);

/// What ssh last wrote on standard error when a connection failed on this thread ("" if nothing).
const char *rectrack_ssh_exec_last_error(void);

/// Gives `repo` (a git_repository *) an object database of two stores: an in-memory one that
/// takes every object written through `repo` until `rectrack_git_mempack_flush`, and a read-only
/// view of the repository's own objects that never refreshes (no per-object rescan of
/// objects/pack/ or touch of loose files). `out` receives the in-memory store.
int rectrack_git_mempack_attach(void *repo, void **out);

/// Writes the in-memory store's objects as one packfile into `repo`'s own object database, then
/// empties the store: the `count` objects of `ids` (git_oid[]), each with the path of its file or
/// folder in `names` (or NULL), or, with `ids` NULL, everything reachable from its commits.
int rectrack_git_mempack_flush(void *repo, void *mempack, const void *ids, const char *const *names,
                               size_t count);

/// git_commit_create_from_ids (git2/sys/commit.h): a commit of `parent_count` parents
/// (`parents`: git_oid[parent_count]), UTF-8, moving no reference: `out` (git_oid *) receives it.
int rectrack_git_commit_from_ids(void *out, void *repo, const void *author, const void *committer,
                                 const char *message, const void *tree, size_t parent_count,
                                 const void *parents);

/// A zlib inflater kept for many objects (PackReader), or NULL when zlib cannot make one.
void *rectrack_inflater_new(void);
void rectrack_inflater_free(void *inflater);

/// Inflates the zlib stream at `src` (at most `src_size` bytes are read) into exactly `dst_size`
/// bytes at `dst`. Returns 0 when the stream ends there (and its checksum holds), -1 otherwise:
/// a damaged stream, or one that is longer or shorter than `dst_size`.
int rectrack_inflate_exact(void *inflater, const unsigned char *src, size_t src_size, unsigned char *dst,
                           size_t dst_size);

/// pipe2(fds, O_CLOEXEC), which Swift's Glibc module does not show.
int rectrack_pipe_cloexec(int fds[2]);

#endif
