// SSH through the system's OpenSSH client, as git itself does: a libgit2 smart subtransport that
// runs `ssh HOST "git-upload-pack 'PATH'"` (or git-receive-pack) and speaks the git protocol over
// the child's standard input and output. OpenSSH then applies the user's own ~/.ssh/config,
// agent, keys, passphrase prompt (on the terminal) and known_hosts rules (revoked keys and
// certificate authorities included), which libgit2's libssh2 transport does not.
//
// The program is, in git's order: $GIT_SSH_COMMAND (run by /bin/sh), core.sshCommand from the
// repository's configuration (run by /bin/sh), $GIT_SSH (a program), else `ssh`.

#define _GNU_SOURCE
#include "CGitShims.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/transport.h>

extern char **environ;

typedef struct exec_subtransport exec_subtransport;

typedef struct {
  git_smart_subtransport_stream parent;
  pid_t pid;
  int to_child;    // the child's standard input
  int from_child;  // the child's standard output
  int err_fd;      // a temporary file holding the child's standard error
  int finished;    // the child has been waited for
  int status;
} exec_stream;

struct exec_subtransport {
  git_smart_subtransport parent;
  git_transport *owner;
  exec_stream *current;
  char *command;  // core.sshCommand, or NULL
};

typedef struct {
  git_smart_subtransport_definition definition;
  char *command;
} exec_definition;

// The last failure's standard error from ssh, for the caller's message (thread-local).
static __thread char last_error[4096];

const char *rectrack_ssh_exec_last_error(void) { return last_error; }

static void read_child_errors(exec_stream *s) {
  if (s->err_fd < 0) return;
  off_t size = lseek(s->err_fd, 0, SEEK_END);
  if (size <= 0) return;
  off_t start = size > (off_t)(sizeof(last_error) - 1) ? size - (off_t)(sizeof(last_error) - 1) : 0;
  lseek(s->err_fd, start, SEEK_SET);
  ssize_t n = read(s->err_fd, last_error, sizeof(last_error) - 1);
  last_error[n > 0 ? n : 0] = '\0';
}

static void wait_child(exec_stream *s, int block) {
  if (s->finished || s->pid <= 0) return;
  int status = 0;
  pid_t r;
  do {
    r = waitpid(s->pid, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == s->pid) {
    s->finished = 1;
    s->status = status;
  }
}

// Sets libgit2's error from what ssh said (or a plain line when it said nothing).
static int fail(exec_stream *s, const char *what) {
  wait_child(s, 1);
  read_child_errors(s);
  char message[4400];
  if (last_error[0]) {
    snprintf(message, sizeof(message), "ssh: %s", last_error);
    size_t len = strlen(message);
    while (len > 0 && (message[len - 1] == '\n' || message[len - 1] == '\r')) message[--len] = '\0';
  } else if (s->finished && WIFEXITED(s->status) && WEXITSTATUS(s->status) == 127) {
    snprintf(message, sizeof(message), "ssh: the ssh program could not be run (is openssh-client installed?)");
  } else {
    snprintf(message, sizeof(message), "ssh: %s", what);
  }
  git_error_set_str(GIT_ERROR_SSH, message);
  return -1;
}

static int stream_read(git_smart_subtransport_stream *stream, char *buffer, size_t size, size_t *bytes_read) {
  exec_stream *s = (exec_stream *)stream;
  *bytes_read = 0;
  ssize_t n;
  do {
    n = read(s->from_child, buffer, size);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return fail(s, strerror(errno));
  if (n == 0) return fail(s, "the connection closed before the server answered");
  *bytes_read = (size_t)n;
  return 0;
}

static int stream_write(git_smart_subtransport_stream *stream, const char *buffer, size_t len) {
  exec_stream *s = (exec_stream *)stream;
  // A child that has gone away must not kill rectrack with SIGPIPE: block it for this thread
  // while writing, and take back a pending one.
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  size_t done = 0;
  int failed = 0;
  while (done < len) {
    ssize_t n = write(s->to_child, buffer + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0 && errno == EPIPE) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
      }
      failed = 1;
      break;
    }
    done += (size_t)n;
  }
  pthread_sigmask(SIG_SETMASK, &old_set, NULL);
  return failed ? fail(s, "the connection closed while sending") : 0;
}

static void stream_free(git_smart_subtransport_stream *stream) {
  exec_stream *s = (exec_stream *)stream;
  exec_subtransport *t = (exec_subtransport *)s->parent.subtransport;
  if (t && t->current == s) t->current = NULL;
  if (s->to_child >= 0) close(s->to_child);
  if (s->from_child >= 0) close(s->from_child);
  wait_child(s, 1);
  if (s->err_fd >= 0) close(s->err_fd);
  free(s);
}

// Appends `text` to `out` in single quotes for a POSIX shell (as git's sq_quote does).
static void shell_quote(char *out, size_t size, const char *text) {
  size_t n = strlen(out);
  if (n + 1 < size) out[n++] = '\'';
  for (const char *p = text; *p && n + 5 < size; p++) {
    if (*p == '\'') {
      memcpy(out + n, "'\\''", 4);
      n += 4;
    } else {
      out[n++] = *p;
    }
  }
  if (n + 1 < size) out[n++] = '\'';
  out[n] = '\0';
}

// Splits an ssh URL: ssh://[user@]host[:port]/path (also ssh+git://, git+ssh://) or the scp-like
// [user@]host:path. Returns 0, or -1 with libgit2's error set.
static int parse_url(const char *url, char *host, size_t host_size, char *port, size_t port_size, char *path,
                     size_t path_size) {
  const char *rest = NULL;
  const char *schemes[] = {"ssh://", "ssh+git://", "git+ssh://"};
  for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
    if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0) rest = url + strlen(schemes[i]);
  }
  port[0] = '\0';
  if (rest) {
    const char *slash = strchr(rest, '/');
    if (!slash) goto bad;
    size_t hostlen = (size_t)(slash - rest);
    const char *hoststart = rest;
    // [IPv6]:port, or host:port
    const char *colon = NULL;
    const char *bracket = memchr(rest, ']', hostlen);
    colon = memchr(bracket ? bracket : rest, ':', (size_t)(slash - (bracket ? bracket : rest)));
    size_t namelen = colon ? (size_t)(colon - hoststart) : hostlen;
    if (namelen == 0 || namelen >= host_size) goto bad;
    memcpy(host, hoststart, namelen);
    host[namelen] = '\0';
    if (host[0] == '[' || strchr(host, '@')) {
      // user@[::1] -> user@::1
      char *open = strchr(host, '[');
      char *close = strchr(host, ']');
      if (open && close && close > open) {
        memmove(close, close + 1, strlen(close + 1) + 1);
        memmove(open, open + 1, strlen(open + 1) + 1);
      }
    }
    if (colon) {
      size_t portlen = (size_t)(slash - colon - 1);
      if (portlen == 0 || portlen >= port_size) goto bad;
      memcpy(port, colon + 1, portlen);
      port[portlen] = '\0';
      for (char *p = port; *p; p++)
        if (*p < '0' || *p > '9') goto bad;
    }
    const char *p = slash;
    if (strncmp(p, "/~", 2) == 0) p++;  // ssh://host/~user/repo means ~user/repo
    if (strlen(p) >= path_size) goto bad;
    strcpy(path, p);
    return 0;
  }
  // scp-like: the first ':' not inside [...] separates host and path.
  const char *start = url;
  const char *colon = NULL;
  if (strchr(url, '[')) {
    const char *close = strchr(url, ']');
    if (close) colon = strchr(close, ':');
  } else {
    colon = strchr(url, ':');
  }
  if (!colon || colon == start) goto bad;
  size_t namelen = (size_t)(colon - start);
  if (namelen >= host_size || strlen(colon + 1) >= path_size || colon[1] == '\0') goto bad;
  memcpy(host, start, namelen);
  host[namelen] = '\0';
  char *open = strchr(host, '[');
  char *close = strchr(host, ']');
  if (open && close && close > open) {
    memmove(close, close + 1, strlen(close + 1) + 1);
    memmove(open, open + 1, strlen(open + 1) + 1);
  }
  strcpy(path, colon + 1);
  return 0;
bad:
  git_error_set_str(GIT_ERROR_NET, "this is not an SSH address rectrack can use (ssh://host/path or host:path)");
  return -1;
}

static int start_child(exec_subtransport *t, const char *url, const char *service, exec_stream **out) {
  char host[1024], port[16], path[2048];
  last_error[0] = '\0';
  if (parse_url(url, host, sizeof(host), port, sizeof(port), path, sizeof(path)) < 0) return -1;
  if (host[0] == '-') {
    git_error_set_str(GIT_ERROR_NET, "refusing an SSH host name that starts with '-'");
    return -1;
  }
  char remote_command[4200];
  snprintf(remote_command, sizeof(remote_command), "%s ", service);
  shell_quote(remote_command, sizeof(remote_command), path);

  const char *env_command = getenv("GIT_SSH_COMMAND");
  const char *shell_command = env_command && *env_command ? env_command : t->command;
  const char *program = getenv("GIT_SSH");
  char *argv[16];
  int argc = 0;
  char script[4200];
  if (shell_command && *shell_command) {
    snprintf(script, sizeof(script), "%s \"$@\"", shell_command);
    argv[argc++] = "/bin/sh";
    argv[argc++] = "-c";
    argv[argc++] = script;
    argv[argc++] = "ssh";
  } else {
    argv[argc++] = (char *)(program && *program ? program : "ssh");
  }
  if (port[0]) {
    argv[argc++] = "-p";
    argv[argc++] = port;
  }
  argv[argc++] = "--";
  argv[argc++] = host;
  argv[argc++] = remote_command;
  argv[argc] = NULL;

  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) < 0) {
    git_error_set_str(GIT_ERROR_OS, "cannot create a pipe for ssh");
    return -1;
  }
  if (pipe2(out_pipe, O_CLOEXEC) < 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    git_error_set_str(GIT_ERROR_OS, "cannot create a pipe for ssh");
    return -1;
  }
  char errname[] = "/tmp/rectrack-ssh-XXXXXX";
  int err_fd = mkostemp(errname, O_CLOEXEC);
  if (err_fd >= 0) unlink(errname);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  if (err_fd >= 0) posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (rc != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    if (err_fd >= 0) close(err_fd);
    char message[512];
    snprintf(message, sizeof(message), "ssh: cannot run %s: %s (is openssh-client installed?)", argv[0], strerror(rc));
    git_error_set_str(GIT_ERROR_SSH, message);
    return -1;
  }
  exec_stream *s = calloc(1, sizeof(exec_stream));
  if (!s) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    if (err_fd >= 0) close(err_fd);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    git_error_set_oom();
    return -1;
  }
  s->parent.subtransport = &t->parent;
  s->parent.read = stream_read;
  s->parent.write = stream_write;
  s->parent.free = stream_free;
  s->pid = pid;
  s->to_child = in_pipe[1];
  s->from_child = out_pipe[0];
  s->err_fd = err_fd;
  *out = s;
  return 0;
}

static int sub_action(git_smart_subtransport_stream **out, git_smart_subtransport *transport, const char *url,
                      git_smart_service_t action) {
  exec_subtransport *t = (exec_subtransport *)transport;
  *out = NULL;
  switch (action) {
    case GIT_SERVICE_UPLOADPACK_LS:
    case GIT_SERVICE_RECEIVEPACK_LS: {
      if (t->current) {
        t->current->parent.free(&t->current->parent);
        t->current = NULL;
      }
      exec_stream *s = NULL;
      const char *service = action == GIT_SERVICE_UPLOADPACK_LS ? "git-upload-pack" : "git-receive-pack";
      if (start_child(t, url, service, &s) < 0) return -1;
      t->current = s;
      *out = &s->parent;
      return 0;
    }
    case GIT_SERVICE_UPLOADPACK:
    case GIT_SERVICE_RECEIVEPACK:
      if (!t->current) {
        git_error_set_str(GIT_ERROR_NET, "ssh: no connection to continue");
        return -1;
      }
      *out = &t->current->parent;
      return 0;
  }
  git_error_set_str(GIT_ERROR_NET, "ssh: unknown git service");
  return -1;
}

static int sub_close(git_smart_subtransport *transport) {
  exec_subtransport *t = (exec_subtransport *)transport;
  if (t->current) {
    t->current->parent.free(&t->current->parent);
    t->current = NULL;
  }
  return 0;
}

static void sub_free(git_smart_subtransport *transport) {
  exec_subtransport *t = (exec_subtransport *)transport;
  sub_close(transport);
  free(t->command);
  free(t);
}

static int make_subtransport(git_smart_subtransport **out, git_transport *owner, void *param) {
  exec_definition *definition = param;
  exec_subtransport *t = calloc(1, sizeof(exec_subtransport));
  if (!t) {
    git_error_set_oom();
    return -1;
  }
  t->owner = owner;
  t->parent.action = sub_action;
  t->parent.close = sub_close;
  t->parent.free = sub_free;
  t->command = definition && definition->command ? strdup(definition->command) : NULL;
  *out = &t->parent;
  return 0;
}

// One definition per connection: it carries the repository's core.sshCommand. libgit2 keeps a
// pointer to it for the transport's life and has no hook to free it, so it is kept (a few bytes
// per connection, for a command that makes one or two).
int rectrack_ssh_exec_transport(void *out_pointer, void *owner_pointer, void *param) {
  git_transport **out = out_pointer;
  git_remote *owner = owner_pointer;
  (void)param;
  exec_definition *definition = calloc(1, sizeof(exec_definition));
  if (!definition) {
    git_error_set_oom();
    return -1;
  }
  definition->definition.callback = make_subtransport;
  definition->definition.rpc = 0;
  definition->definition.param = definition;
  git_repository *repo = owner ? git_remote_owner(owner) : NULL;
  git_config *config = NULL;
  if (repo && git_repository_config_snapshot(&config, repo) == 0) {
    const char *value = NULL;
    if (git_config_get_string(&value, config, "core.sshCommand") == 0 && value) definition->command = strdup(value);
    git_config_free(config);
  }
  git_error_clear();
  return git_transport_smart(out, owner, &definition->definition);
}

int rectrack_is_ssh_url(const char *url) {
  const char *schemes[] = {"ssh://", "ssh+git://", "git+ssh://"};
  for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
    if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0) return 1;
  }
  if (strstr(url, "://") || url[0] == '/' || url[0] == '.') return 0;
  // scp-like host:path (git's rule: a colon before any slash)
  const char *colon = strchr(url, ':');
  const char *slash = strchr(url, '/');
  return colon && colon != url && (!slash || colon < slash);
}

int rectrack_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
