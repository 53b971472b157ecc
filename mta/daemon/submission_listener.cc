// See submission_listener.h.
#include "mta/daemon/submission_listener.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "mta/submit/handoff.h"
#include "mta/submit/message_input.h"
#include "mta/submit/submitter.h"

namespace pigeon::mta::daemon {

using asio::local::stream_protocol;

// One connection: read the head and the message, submit on the writer thread, answer, close.
// Holds itself (shared_ptr) while an operation or the writer's task is pending.
class SubmissionListener::Request
    : public std::enable_shared_from_this<SubmissionListener::Request> {
 public:
  Request(SubmissionListener& listener, stream_protocol::socket socket)
      : listener_(listener),
        socket_(std::move(socket)),
        deadline_(listener.io_),
        // Keeps io.run() going until this request is answered, even after Stop().
        work_(asio::make_work_guard(listener.io_)) {}

  ~Request() { --listener_.active_; }

  void Start() {
    deadline_.expires_after(std::chrono::seconds(listener_.setup_.timeout_seconds));
    deadline_.async_wait([self = shared_from_this()](const asio::error_code& error) {
      if (!error) self->Close();
    });
    asio::async_read_until(
        socket_, asio::dynamic_buffer(head_, submit::kMaxHandoffHead), "\n\n",
        [self = shared_from_this()](const asio::error_code& error, size_t length) {
          self->OnHead(error, length);
        });
  }

  // Stop(): a request still being received is dropped; one being written is answered.
  void Abandon() {
    if (!submitting_) Close();
  }

 private:
  void OnHead(const asio::error_code& error, size_t length) {
    if (error) return Close();  // gone, too long a head, or timed out
    runtime_ = listener_.setup_.runtime();
    Result<submit::HandoffHead> head =
        submit::ParseHandoffHead(std::string_view(head_).substr(0, length - 2));
    if (!head) return Refuse(head.error());
    const uint64_t limit = runtime_->config.smtpd.max_message_size;
    if (head->size > limit) {
      return Refuse(Error{ErrorCode::kInvalidArgument,
                          fmt::format("message too large (limit {} bytes)", limit)});
    }
    head_parsed_ = std::move(*head);
    // What arrived after the head is the message's start.
    message_.raw.assign(head_, length, std::string::npos);
    head_.clear();
    head_.shrink_to_fit();
    if (message_.raw.size() > head_parsed_.size) return Close();
    message_.raw.reserve(head_parsed_.size + 4096);  // room for the trace fields in front
    asio::async_read(socket_, asio::dynamic_buffer(message_.raw),
                     asio::transfer_exactly(head_parsed_.size - message_.raw.size()),
                     [self = shared_from_this()](const asio::error_code& read_error, size_t) {
                       self->OnMessage(read_error);
                     });
  }

  void OnMessage(const asio::error_code& error) {
    if (error || message_.raw.size() != head_parsed_.size) return Close();
    deadline_.cancel();
    if (!submit::IsCrlfText(message_.raw)) {
      return Refuse(Error{ErrorCode::kParse, "the message's line ends are not CRLF"});
    }
    message_.eight_bit = submit::HasEightBit(message_.raw);
    submission_ = std::move(head_parsed_.submission);
    // Who submits comes from the kernel, never from the request.
    ucred peer{};
    socklen_t size = sizeof(peer);
    if (getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) {
      return Close();
    }
    submission_.submitted_by = fmt::format("userid {}", peer.uid);
    uid_ = peer.uid;
    submitting_ = true;
    const bool taken = listener_.setup_.writer->Perform([self = shared_from_this()](
                                                            store::Store& store) mutable {
      // The writer thread: the queue id source is used only here. `self` moves on to the I/O
      // thread, so the request is never destroyed here.
      SubmissionListener& listener = self->listener_;
      submit::Submitter submitter(self->runtime_->config, self->runtime_->policy, store,
                                  listener.clock_, listener.queue_ids_, listener.setup_.wake_queue);
      Result<submit::SubmitOutcome> outcome =
          submitter.Submit(std::move(self->message_), self->submission_);
      // The answer goes out from here, without waiting for the I/O thread: nothing else
      // touches the socket now, and a short reply fits an empty socket buffer at once.
      std::string reply = submit::EncodeHandoffReply(outcome);
      const ssize_t sent = send(self->socket_.native_handle(), reply.data(), reply.size(),
                                MSG_DONTWAIT | MSG_NOSIGNAL);
      reply.erase(0, sent > 0 ? static_cast<size_t>(sent) : 0);
      asio::post(listener.io_,
                 [self = std::move(self), outcome = std::move(outcome),
                  rest = std::move(reply)]() mutable { self->Answer(outcome, std::move(rest)); });
    });
    // The writer is stopping: unanswered, the sender writes the store itself.
    if (!taken) Close();
  }

  void Refuse(Error error) {
    const Result<submit::SubmitOutcome> refused = tl::unexpected(std::move(error));
    Answer(refused, submit::EncodeHandoffReply(refused));
  }

  // Logs the outcome and sends what is left of the reply (nothing: it went out already).
  void Answer(const Result<submit::SubmitOutcome>& outcome, std::string reply) {
    if (outcome) {
      listener_.log_.Info(
          fmt::format("{}: submitted by uid {} ({}): {} local cop{}, {} queued", outcome->queue_id,
                      uid_, submission_.origin, outcome->local_copies,
                      outcome->local_copies == 1 ? "y" : "ies", outcome->queued.size()));
    } else {
      listener_.log_.Warning(
          fmt::format("submission by uid {} refused: {}", uid_, outcome.error().message));
    }
    if (reply.empty()) return Close();
    reply_ = std::move(reply);
    asio::async_write(
        socket_, asio::buffer(reply_),
        [self = shared_from_this()](const asio::error_code&, size_t) { self->Close(); });
  }

  void Close() {
    asio::error_code ignored;
    deadline_.cancel();
    socket_.shutdown(stream_protocol::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  SubmissionListener& listener_;
  stream_protocol::socket socket_;
  asio::steady_timer deadline_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::shared_ptr<const server::Runtime> runtime_;
  std::string head_;
  submit::HandoffHead head_parsed_;
  submit::MessageInput message_;
  submit::Submission submission_;
  uid_t uid_ = 0;
  bool submitting_ = false;
  std::string reply_;
};

SubmissionListener::SubmissionListener(asio::io_context& io, SubmissionListenerSetup setup,
                                       const sys::Clock& clock, sys::Logger& log)
    : io_(io),
      setup_(std::move(setup)),
      clock_(clock),
      log_(log),
      acceptor_(io),
      path_(submit::HandoffSocketPath(setup_.store_path)) {}

SubmissionListener::~SubmissionListener() { Stop(); }

Result<void> SubmissionListener::Start() {
  asio::error_code error;
  // asio's endpoint throws on a path longer than sun_path; a deep store path only means
  // submissions write the store themselves.
  if (path_.size() >= sizeof(sockaddr_un::sun_path)) error = asio::error::name_too_long;
  if (!error) acceptor_.open(stream_protocol(), error);
  if (!error) {
    unlink(path_.c_str());  // a stale socket of an earlier run
    acceptor_.bind(stream_protocol::endpoint(path_), error);
  }
  if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot listen on {}: {}", path_, error.message()));
  }
  bound_ = true;
  // Anyone on the machine may submit mail, as with any sendmail: pigeond writes the store
  // for them and records their uid in the Received field.
  chmod(path_.c_str(), 0666);
  Accept();
  return {};
}

void SubmissionListener::Stop() {
  asio::error_code ignored;
  acceptor_.close(ignored);
  for (const std::weak_ptr<Request>& request : requests_) {
    if (std::shared_ptr<Request> alive = request.lock()) alive->Abandon();
  }
  requests_.clear();
  if (bound_) unlink(path_.c_str());
  bound_ = false;
}

void SubmissionListener::Accept() {
  acceptor_.async_accept([this](const asio::error_code& error, stream_protocol::socket socket) {
    if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!error) {
      if (active_ >= setup_.max_requests) {
        // Closed unanswered: the sender writes the store itself.
        asio::error_code ignored;
        socket.close(ignored);
      } else {
        ++active_;
        auto request = std::make_shared<Request>(*this, std::move(socket));
        std::erase_if(requests_, [](const std::weak_ptr<Request>& r) { return r.expired(); });
        requests_.push_back(request);
        request->Start();
      }
    }
    Accept();
  });
}

}  // namespace pigeon::mta::daemon
