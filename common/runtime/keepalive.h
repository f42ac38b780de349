// One keepalive agreement between the system's clients and servers. A
// client that pings more often than its server allows is sent GOAWAY
// (too_many_pings) and its open calls fail: so both sides take their
// settings from the same policy here, the client pinging at the interval
// and the server accepting pings twice as often.
#ifndef JIANGAN_COMMON_RUNTIME_KEEPALIVE_H_
#define JIANGAN_COMMON_RUNTIME_KEEPALIVE_H_

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"

namespace jiangan {

struct KeepalivePolicy {
  // How often a client pings an idle connection, calls open or not, so that
  // a dead peer (a pod gone without a FIN) is found within interval +
  // timeout rather than at the next call's deadline.
  absl::Duration ping_interval = absl::Seconds(30);
  // How long a ping may go unanswered before the connection is dropped.
  absl::Duration ping_timeout = absl::Seconds(10);
};

// Sets a client channel's keepalive by `policy`.
void ApplyClientKeepalive(const KeepalivePolicy& policy, grpc::ChannelArguments* args);

// Lets a server's clients ping by `policy` (with slack for their timers).
void ApplyServerKeepalive(const KeepalivePolicy& policy, grpc::ServerBuilder* builder);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_KEEPALIVE_H_
