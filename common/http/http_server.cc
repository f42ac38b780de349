#include "common/http/http_server.h"

#define H2O_USE_LIBUV 0
#include <arpa/inet.h>
#include <fcntl.h>
#include <h2o.h>
#include <h2o/multithread.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/base/logging.h"

namespace jiangan {
namespace {

// One request being answered: from the handler's call until its reply is
// back on the loop. The request itself may go first (the client left).
struct Pending;

// Kept in the request's memory pool, so h2o tells us when the request goes.
struct RequestLink {
  Pending* pending;  // null once answered
};

struct Pending {
  h2o_req_t* req;  // null once the request is gone
  RequestLink* link;
};

void OnRequestGone(void* link) {
  auto* request_link = static_cast<RequestLink*>(link);
  if (request_link->pending != nullptr) request_link->pending->req = nullptr;
}

// A message to a loop from any thread: a reply, or an order to drain or stop.
struct Mail;
struct MailHeader {
  h2o_multithread_message_t super;  // first: h2o links messages through it
  Mail* mail;
};
struct Mail {
  enum class Kind { kReply, kDrain, kStop };
  MailHeader header{};  // zeroed: h2o asserts a new message is unlinked
  Kind kind = Kind::kReply;
  Pending* pending = nullptr;
  HttpResponse response;
};

h2o_iovec_t Copy(h2o_mem_pool_t* pool, absl::string_view text) {
  return h2o_strdup(pool, text.data(), text.size());
}

void Send(h2o_req_t* req, const HttpResponse& response) {
  req->res.status = response.status;
  req->res.reason = ReasonPhrase(response.status);
  const h2o_iovec_t type = Copy(&req->pool, response.content_type);
  h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, nullptr, type.base,
                 type.len);
  for (const auto& [name, value] : response.headers) {
    const h2o_iovec_t lower_name = Copy(&req->pool, absl::AsciiStrToLower(name));
    const h2o_iovec_t copied_value = Copy(&req->pool, value);
    h2o_add_header_by_str(&req->pool, &req->res.headers, lower_name.base, lower_name.len,
                          /*maybe_token=*/1, nullptr, copied_value.base, copied_value.len);
  }
  // h2o_send_inline leaves the length unset (so HTTP/1.1 would be chunked).
  req->res.content_length = response.body.size();
  h2o_send_inline(req, response.body.data(), response.body.size());
}

absl::StatusOr<int> Listen(const std::string& host, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  int one = 1;
  // Not SO_REUSEPORT: with it, another process of the same user could listen
  // on our port too and be handed half of our connections.
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));  // inherited on accept
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(),
                  &address.sin_addr) != 1) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrCat("not an IPv4 address: ", host));
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(fd, SOMAXCONN) != 0) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("cannot listen on ", host, ":", port, ": ", strerror(errno)));
    ::close(fd);
    return status;
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

uint64_t Milliseconds(absl::Duration duration) {
  return static_cast<uint64_t>(absl::ToInt64Milliseconds(duration));
}

}  // namespace

class HttpServer::Loop {
 public:
  Loop(const HttpServerOptions& options, HttpHandler handler, int listen_fd)
      : handler_(std::move(handler)) {
    // h2o keeps its socket buffers in thread-local free lists and a socket
    // remembers the list of the thread that made it: everything of a loop
    // is made on the loop's own thread, or two loops share one list.
    thread_ = std::thread([this, &options, listen_fd] {
      SetUp(options, listen_fd);
      ready_.Notify();
      Run();
    });
    ready_.WaitForNotification();
  }

  // The loop's context and sockets are left to the process's end: h2o 2.2
  // cannot close a context with connections still open.
  ~Loop() = default;

  // Any thread. Answers `pending` on the loop (at once when already on it).
  void Reply(Pending* pending, HttpResponse response) {
    if (current_ == this) {
      Answer(pending, response);
      return;
    }
    auto* mail = new Mail;
    mail->pending = pending;
    mail->response = std::move(response);
    Post(mail);
  }

  void Drain() { Post(NewOrder(Mail::Kind::kDrain)); }
  bool Idle() const { return in_flight_.load() == 0; }

  void StopAndJoin() {
    Post(NewOrder(Mail::Kind::kStop));
    {
      absl::MutexLock lock(&mail_mu_);
      mail_open_ = false;
    }
    thread_.join();
  }

 private:
  struct HandlerSlot {
    h2o_handler_t super;  // first: h2o allocates and calls it as a handler
    Loop* loop;
  };
  struct ReceiverSlot {
    h2o_multithread_receiver_t super;  // first
    Loop* loop;
  };

  // On the loop's thread, before it runs.
  void SetUp(const HttpServerOptions& options, int listen_fd) {
    h2o_config_init(&config_);
    config_.max_request_entity_size = options.max_body_bytes;
    config_.http1.req_timeout = Milliseconds(options.request_timeout);
    config_.http2.idle_timeout = Milliseconds(options.idle_timeout);
    h2o_hostconf_t* host = h2o_config_register_host(&config_, h2o_iovec_init(H2O_STRLIT("default")),
                                                    65535);
    h2o_pathconf_t* path = h2o_config_register_path(host, "/", 0);
    auto* handler_slot = reinterpret_cast<HandlerSlot*>(h2o_create_handler(path, sizeof(HandlerSlot)));
    handler_slot->loop = this;
    handler_slot->super.on_req = &Loop::OnRequest;

    h2o_context_init(&context_, h2o_evloop_create(), &config_);
    accept_.ctx = &context_;
    accept_.hosts = config_.hosts;
    queue_ = h2o_multithread_create_queue(context_.loop);
    receiver_.loop = this;
    h2o_multithread_register_receiver(queue_, &receiver_.super, &Loop::OnMail);
    listener_ = h2o_evloop_socket_create(context_.loop, listen_fd, H2O_SOCKET_FLAG_DONT_READ);
    listener_->data = this;
    h2o_socket_read_start(listener_, &Loop::OnAccept);
  }

  static Mail* NewOrder(Mail::Kind kind) {
    auto* mail = new Mail;
    mail->kind = kind;
    return mail;
  }

  void Post(Mail* mail) {
    mail->header.mail = mail;
    absl::MutexLock lock(&mail_mu_);
    if (!mail_open_) {
      delete mail;  // stopped: nobody is left to answer
      return;
    }
    h2o_multithread_send_message(&receiver_.super, &mail->header.super);
  }

  void Run() {
    current_ = this;
    while (!stopping_) h2o_evloop_run(context_.loop, INT32_MAX);
    current_ = nullptr;
  }

  static void OnAccept(h2o_socket_t* listener, const char* error) {
    if (error != nullptr) return;
    auto* loop = static_cast<Loop*>(listener->data);
    if (h2o_socket_t* socket = h2o_evloop_socket_accept(listener); socket != nullptr) {
      h2o_accept(&loop->accept_, socket);
    }
  }

  static int OnRequest(h2o_handler_t* self, h2o_req_t* req) {
    Loop* loop = reinterpret_cast<HandlerSlot*>(self)->loop;
    auto* pending = new Pending{req, nullptr};
    auto* link = static_cast<RequestLink*>(
        h2o_mem_alloc_shared(&req->pool, sizeof(RequestLink), &OnRequestGone));
    link->pending = pending;
    pending->link = link;
    loop->in_flight_.fetch_add(1);

    HttpRequest request;
    request.method.assign(req->method.base, req->method.len);
    if (absl::Status parsed =
            ParseRequestTarget(absl::string_view(req->path.base, req->path.len), &request);
        !parsed.ok()) {
      loop->Answer(pending, {400, "text/plain; charset=utf-8", absl::StrCat(parsed.message(), "\n")});
      return 0;
    }
    for (size_t i = 0; i < req->headers.size; ++i) {
      const h2o_header_t& header = req->headers.entries[i];
      request.headers[absl::AsciiStrToLower(absl::string_view(header.name->base, header.name->len))] =
          std::string(header.value.base, header.value.len);
    }
    if (req->entity.base != nullptr) request.body.assign(req->entity.base, req->entity.len);
    try {
      loop->handler_(std::move(request), [loop, pending](HttpResponse response) {
        loop->Reply(pending, std::move(response));
      });
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "http_handler_threw", {{"what", e.what()}});
      if (pending->link != nullptr && pending->req != nullptr) {
        loop->Answer(pending, {500, "text/plain; charset=utf-8", "internal error\n"});
      }
    }
    return 0;
  }

  static void OnMail(h2o_multithread_receiver_t* receiver, h2o_linklist_t* messages) {
    Loop* loop = reinterpret_cast<ReceiverSlot*>(receiver)->loop;
    while (!h2o_linklist_is_empty(messages)) {
      auto* message = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
      h2o_linklist_unlink(&message->link);
      Mail* mail = reinterpret_cast<MailHeader*>(message)->mail;
      switch (mail->kind) {
        case Mail::Kind::kReply: loop->Answer(mail->pending, mail->response); break;
        case Mail::Kind::kDrain: loop->StopAccepting(); break;
        case Mail::Kind::kStop: loop->stopping_ = true; break;
      }
      delete mail;
    }
  }

  // On the loop.
  void Answer(Pending* pending, const HttpResponse& response) {
    if (pending->req != nullptr) {
      pending->link->pending = nullptr;
      Send(pending->req, response);
    }
    delete pending;
    in_flight_.fetch_sub(1);
  }

  void StopAccepting() {
    if (listener_ == nullptr) return;
    h2o_socket_read_stop(listener_);
    h2o_socket_close(listener_);
    listener_ = nullptr;
    // HTTP/1.1 connections close once idle; HTTP/2 ones get GOAWAY.
    h2o_context_request_shutdown(&context_);
  }

  static thread_local Loop* current_;

  const HttpHandler handler_;
  h2o_globalconf_t config_{};
  h2o_context_t context_{};
  h2o_accept_ctx_t accept_{};
  ReceiverSlot receiver_{};
  h2o_multithread_queue_t* queue_ = nullptr;
  h2o_socket_t* listener_ = nullptr;  // loop thread only
  bool stopping_ = false;             // loop thread only
  std::atomic<int> in_flight_{0};
  absl::Mutex mail_mu_;
  bool mail_open_ ABSL_GUARDED_BY(mail_mu_) = true;
  absl::Notification ready_;
  std::thread thread_;
};

thread_local HttpServer::Loop* HttpServer::Loop::current_ = nullptr;

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                              HttpHandler handler) {
  // A client that leaves mid-answer must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  // Each connection holds a descriptor: allow as many as the system lets us.
  if (rlimit limit{}; ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  absl::StatusOr<int> listening = Listen(options.host, options.port);
  if (!listening.ok()) return listening.status();
  const int port = BoundPort(*listening);
  // Every loop accepts from the one socket, each through its own descriptor
  // (a loop closes its own when it drains).
  std::vector<int> fds = {*listening};
  for (int i = 1; i < std::max(1, options.threads); ++i) {
    const int copy = ::fcntl(*listening, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) {
      absl::Status status = absl::InternalError(absl::StrCat("dup: ", strerror(errno)));
      for (int open : fds) ::close(open);
      return status;
    }
    fds.push_back(copy);
  }
  std::vector<std::unique_ptr<Loop>> loops;
  for (int fd : fds) loops.push_back(std::make_unique<Loop>(options, handler, fd));
  return std::unique_ptr<HttpServer>(new HttpServer(port, std::move(loops)));
}

HttpServer::HttpServer(int port, std::vector<std::unique_ptr<Loop>> loops)
    : port_(port), loops_(std::move(loops)) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& loop : loops_) loop->Drain();
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  for (auto& loop : loops_) {
    while (!loop->Idle() && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(5));
  }
  for (auto& loop : loops_) loop->StopAndJoin();
}

}  // namespace jiangan
