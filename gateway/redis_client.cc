#include "gateway/redis_client.h"

#include <hiredis/hiredis.h>
#include <poll.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace jiangan {
namespace {

RedisReply Convert(const redisReply* reply) {
  RedisReply out;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = reply->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < reply->elements; ++i) {
        out.elements.push_back(Convert(reply->element[i]));
      }
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

}  // namespace

RedisClient::RedisClient(std::string host, int port, absl::Duration timeout)
    : host_(std::move(host)), port_(port), timeout_(timeout) {}

RedisClient::~RedisClient() { Disconnect(); }

void RedisClient::Disconnect() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

absl::Status RedisClient::EnsureConnected() {
  if (context_ != nullptr) return absl::OkStatus();
  const absl::Time now = absl::Now();
  if (now < next_attempt_) {
    return absl::UnavailableError("redis: recently unreachable; not retrying yet");
  }
  const timeval tv = absl::ToTimeval(timeout_);
  context_ = redisConnectWithTimeout(host_.c_str(), port_, tv);
  if (context_ == nullptr || context_->err != 0) {
    std::string error = context_ ? context_->errstr : "cannot allocate context";
    Disconnect();
    next_attempt_ = now + std::max(timeout_, absl::Milliseconds(100));
    return absl::UnavailableError(
        absl::StrCat("redis ", host_, ":", port_, ": ", error));
  }
  redisSetTimeout(context_, tv);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (absl::Status connected = EnsureConnected(); !connected.ok()) return connected;
  for (const auto& argv : commands) {
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    for (const std::string& arg : argv) {
      args.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    redisAppendCommandArgv(context_, static_cast<int>(args.size()), args.data(),
                           lengths.data());
  }
  std::vector<RedisReply> replies;
  absl::Status error = absl::OkStatus();
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) return Broken();
    auto* reply = static_cast<redisReply*>(raw);
    if (reply->type == REDIS_REPLY_ERROR && error.ok()) {
      error = absl::InternalError(absl::StrCat("redis: ", std::string(reply->str, reply->len)));
    }
    replies.push_back(Convert(reply));
    freeReplyObject(reply);
  }
  if (!error.ok()) return error;
  return replies;
}

absl::Status RedisClient::Broken() {
  absl::Status broken =
      absl::UnavailableError(absl::StrCat("redis ", host_, ":", port_, ": ", context_->errstr));
  Disconnect();
  next_attempt_ = absl::Now() + std::max(timeout_, absl::Milliseconds(100));
  return broken;
}

absl::Status RedisClient::Send(const std::vector<std::string>& argv) {
  if (absl::Status connected = EnsureConnected(); !connected.ok()) return connected;
  std::vector<const char*> args;
  std::vector<size_t> lengths;
  for (const std::string& arg : argv) {
    args.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  redisAppendCommandArgv(context_, static_cast<int>(args.size()), args.data(), lengths.data());
  for (int done = 0; !done;) {
    if (redisBufferWrite(context_, &done) != REDIS_OK) return Broken();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<RedisReply>> RedisClient::Receive(absl::Duration wait) {
  if (absl::Status connected = EnsureConnected(); !connected.ok()) return connected;
  void* raw = nullptr;
  if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) return Broken();
  if (raw == nullptr) {
    pollfd ready{context_->fd, POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(absl::ToInt64Milliseconds(wait)));
    if (polled == 0) return std::nullopt;
    if (polled < 0 || redisBufferRead(context_) != REDIS_OK) return Broken();
    if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) return Broken();
    if (raw == nullptr) return std::nullopt;  // part of a reply so far
  }
  auto* reply = static_cast<redisReply*>(raw);
  RedisReply converted = Convert(reply);
  freeReplyObject(reply);
  return converted;
}

absl::StatusOr<RedisReply> RedisClient::Command(const std::vector<std::string>& argv) {
  auto replies = Pipeline({argv});
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::StatusOr<std::vector<RedisReply>> RedisPool::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::unique_ptr<RedisClient> client;
  {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      client = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (client == nullptr) client = std::make_unique<RedisClient>(host_, port_, timeout_);
  auto replies = client->Pipeline(commands);
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(client));
  return replies;
}

}  // namespace jiangan
