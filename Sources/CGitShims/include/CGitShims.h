#ifndef RECTRACK_CGITSHIMS_H
#define RECTRACK_CGITSHIMS_H

/// libgit2's git_libgit2_opts is variadic, which Swift cannot call; these wrap the options used.

/// Turns off re-hashing of every object read (git itself does not do it). Returns libgit2's code.
int rectrack_git_disable_strict_hash_verification(void);

/// Sets libgit2's object cache limit in bytes. Returns libgit2's code.
int rectrack_git_set_cache_max_size(long long bytes);

#endif
