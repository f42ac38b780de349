#include "common/base/pagination.h"

#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/fingerprint.h"
#include "common/base/hmac.h"

namespace jiangan {
namespace {

absl::Status BadToken() {
  return absl::InvalidArgumentError(
      "page_token: is not a token this list returned for the same request");
}

}  // namespace

absl::StatusOr<int> ResolvePageSize(int32_t requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must not be negative, got ", requested));
  }
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

uint64_t QueryFingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> query(request.New());
  query->CopyFrom(request);
  const auto* descriptor = query->GetDescriptor();
  const auto* reflection = query->GetReflection();
  for (const char* paging_field : {"page_size", "page_token"}) {
    if (const auto* field = descriptor->FindFieldByName(paging_field)) {
      reflection->ClearField(query.get(), field);
    }
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    query->SerializeToCodedStream(&coded);
  }
  return Fingerprint64(bytes);
}

std::string SignedPageTokens::Encode(absl::string_view cursor,
                                     uint64_t query_fingerprint) const {
  std::string body =
      absl::StrCat("2.", absl::WebSafeBase64Escape(cursor), ".", absl::Hex(query_fingerprint));
  return absl::StrCat(body, ".", HmacSha256Hex(key_, body));
}

absl::StatusOr<std::string> SignedPageTokens::Decode(absl::string_view token,
                                                     uint64_t query_fingerprint) const {
  if (token.empty()) return std::string();
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 4 || parts[0] != "2") return BadToken();
  const std::string body = absl::StrCat(parts[0], ".", parts[1], ".", parts[2]);
  std::string cursor;
  if (!ConstantTimeEquals(parts[3], HmacSha256Hex(key_, body)) ||
      parts[2] != absl::StrCat(absl::Hex(query_fingerprint)) ||
      !absl::WebSafeBase64Unescape(parts[1], &cursor)) {
    return BadToken();
  }
  return cursor;
}

std::string SignedPageTokens::EncodeNumber(int64_t cursor, uint64_t query_fingerprint) const {
  return Encode(absl::StrCat(cursor), query_fingerprint);
}

absl::StatusOr<int64_t> SignedPageTokens::DecodeNumber(absl::string_view token,
                                                       uint64_t query_fingerprint) const {
  absl::StatusOr<std::string> cursor = Decode(token, query_fingerprint);
  if (!cursor.ok()) return cursor.status();
  int64_t number = 0;
  if (!cursor->empty() && !absl::SimpleAtoi(*cursor, &number)) {
    return absl::InvalidArgumentError("page_token: is not valid");
  }
  return number;
}

}  // namespace jiangan
