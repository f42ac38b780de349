#include "common/http/http_message.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace jiangan {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<std::string> PercentDecode(absl::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size()) return absl::InvalidArgumentError("truncated percent escape");
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return absl::InvalidArgumentError("bad percent escape");
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (text[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

absl::Status ParseRequestTarget(absl::string_view target, HttpRequest* request) {
  if (!absl::StartsWith(target, "/")) {
    return absl::InvalidArgumentError("the request target is not a path");
  }
  absl::string_view path = target;
  absl::string_view query;
  if (size_t mark = target.find('?'); mark != absl::string_view::npos) {
    path = target.substr(0, mark);
    query = target.substr(mark + 1);
  }
  absl::StatusOr<std::string> decoded_path = PercentDecode(path, /*plus_is_space=*/false);
  if (!decoded_path.ok()) return decoded_path.status();
  request->path = *std::move(decoded_path);
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    absl::StatusOr<std::string> key = PercentDecode(kv.first, true);
    absl::StatusOr<std::string> value = PercentDecode(kv.second, true);
    if (!key.ok() || !value.ok()) return absl::InvalidArgumentError("malformed query");
    // A parameter given again adds its value, comma-separated, as a
    // repeated field takes them (?states=A&states=B is states=A,B).
    auto [it, inserted] = request->query.try_emplace(*key, *value);
    if (!inserted) absl::StrAppend(&it->second, ",", *value);
  }
  return absl::OkStatus();
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 499: return "Client Closed Request";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
  }
}

}  // namespace jiangan
