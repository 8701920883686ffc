#ifndef RECTRACK_CGITSHIMS_H
#define RECTRACK_CGITSHIMS_H

/// libgit2's git_libgit2_opts is variadic, which Swift cannot call; these wrap the options used.

/// Turns off re-hashing of every object read (git itself does not do it). Returns libgit2's code.
int rectrack_git_disable_strict_hash_verification(void);

/// Sets libgit2's object cache limit in bytes. Returns libgit2's code.
int rectrack_git_set_cache_max_size(long long bytes);

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

/// Adds an in-memory object store to `repo` (a git_repository *) ahead of its other object stores:
/// objects written through `repo` stay in memory until `rectrack_git_mempack_flush`. `out`
/// receives the store.
int rectrack_git_mempack_attach(void *repo, void **out);

/// Writes every object of the in-memory store as one packfile into `repo`, then empties the store.
int rectrack_git_mempack_flush(void *repo, void *mempack);

/// pipe2(fds, O_CLOEXEC), which Swift's Glibc module does not show.
int rectrack_pipe_cloexec(int fds[2]);

#endif
