#ifndef RECTRACK_CGITSHIMS_H
#define RECTRACK_CGITSHIMS_H

/// libgit2's git_libgit2_opts is variadic, which Swift cannot call; these wrap the options used.

/// Turns off re-hashing of every object read (git itself does not do it). Returns libgit2's code.
int rectrack_git_disable_strict_hash_verification(void);

/// Sets libgit2's object cache limit in bytes. Returns libgit2's code.
int rectrack_git_set_cache_max_size(long long bytes);

#include <git2.h>

/// Adds an in-memory object store to `repo`'s object database, ahead of the others: objects
/// written through `repo` stay in memory until `rectrack_git_mempack_flush`. `out` receives the store.
int rectrack_git_mempack_attach(git_repository *repo, void **out);

/// Writes every object of the in-memory store as one packfile into the repository, then empties the store.
int rectrack_git_mempack_flush(git_repository *repo, void *mempack);

#endif
