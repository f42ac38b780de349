#include "services/investment/company_name.h"

#include <algorithm>
#include <cstdint>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace jiangan::investment {
namespace {

// Decodes UTF-8 (already checked by protobuf); a stray byte stands for itself.
std::vector<char32_t> CodePoints(absl::string_view text) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    int length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + length > text.size()) length = 1;
    char32_t point = length == 1 ? c : c & (0xFF >> (length + 1));
    for (int k = 1; k < length; ++k) point = (point << 6) | (text[i + k] & 0x3F);
    out.push_back(point);
    i += length;
  }
  return out;
}

void AppendUtf8(char32_t point, std::string* out) {
  if (point < 0x80) {
    out->push_back(static_cast<char>(point));
  } else if (point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (point >> 6)));
    out->push_back(static_cast<char>(0x80 | (point & 0x3F)));
  } else if (point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (point & 0x3F)));
  }
}

bool Dropped(char32_t point) {
  switch (point) {
    case ' ': case '\t': case '\n': case '\r':
    case '(': case ')': case '[': case ']': case '{': case '}':
    case U'【': case U'】': case U'〔': case U'〕': case U'〈': case U'〉':
    case U'《': case U'》': case U'「': case U'」': case U'·':
      return true;
    default:
      return false;
  }
}

constexpr const char* kLegalSuffixes[] = {"股份有限公司", "有限责任公司", "有限公司", "股份"};

constexpr char kUsccAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kUsccWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

int UsccValue(char c) {
  const char* at = std::find(kUsccAlphabet, kUsccAlphabet + 31, c);
  return at == kUsccAlphabet + 31 ? -1 : static_cast<int>(at - kUsccAlphabet);
}

}  // namespace

std::string NormalizeCompanyName(absl::string_view name) {
  std::string out;
  for (char32_t point : CodePoints(name)) {
    if (point >= 0xFF01 && point <= 0xFF5E) point -= 0xFEE0;  // full width to ASCII
    if (point == 0x3000) point = ' ';
    if (point >= 'A' && point <= 'Z') point += 'a' - 'A';
    if (Dropped(point)) continue;
    AppendUtf8(point, &out);
  }
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (const char* suffix : kLegalSuffixes) {
      if (absl::EndsWith(out, suffix) && out.size() > strlen(suffix)) {
        out.resize(out.size() - strlen(suffix));
        stripped = true;
      }
    }
  }
  return out;
}

std::vector<std::string> NameBigrams(absl::string_view normalized) {
  const std::vector<char32_t> points = CodePoints(normalized);
  absl::flat_hash_set<std::string> grams;
  if (points.size() == 1) grams.insert(std::string(normalized));
  for (size_t i = 0; i + 1 < points.size(); ++i) {
    std::string gram;
    AppendUtf8(points[i], &gram);
    AppendUtf8(points[i + 1], &gram);
    grams.insert(std::move(gram));
  }
  std::vector<std::string> sorted(grams.begin(), grams.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

namespace {

// The distinct bigrams of a normalized name as integers (two code points,
// 21 bits each), sorted; a one-character name is its own only "bigram".
std::vector<uint64_t> BigramKeys(absl::string_view normalized) {
  const std::vector<char32_t> points = CodePoints(normalized);
  std::vector<uint64_t> keys;
  if (points.size() == 1) keys.push_back(uint64_t{points[0]} << 21);
  for (size_t i = 0; i + 1 < points.size(); ++i) {
    keys.push_back((uint64_t{points[i]} << 21) | points[i + 1]);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace

NameMatcher::NameMatcher(std::string normalized)
    : name_(std::move(normalized)), bigrams_(BigramKeys(name_)) {}

int NameMatcher::SimilarityTo(absl::string_view other) const {
  if (other == name_) return 100;
  const std::vector<uint64_t> theirs = BigramKeys(other);
  if (bigrams_.empty() || theirs.empty()) return 0;
  size_t shared = 0;
  for (size_t i = 0, j = 0; i < bigrams_.size() && j < theirs.size();) {
    if (bigrams_[i] == theirs[j]) {
      ++shared, ++i, ++j;
    } else if (bigrams_[i] < theirs[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  // Equal names are 100 above; different ones stay below it.
  return std::min<int>(99, static_cast<int>(200 * shared / (bigrams_.size() + theirs.size())));
}

int SimilarityPercent(absl::string_view a, absl::string_view b) {
  return NameMatcher(std::string(a)).SimilarityTo(b);
}

char UsccCheckCharacter(absl::string_view first17) {
  if (first17.size() < 17) return '\0';
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    const int value = UsccValue(first17[i]);
    if (value < 0) return '\0';
    sum += value * kUsccWeights[i];
  }
  return kUsccAlphabet[(31 - sum % 31) % 31];
}

absl::Status CheckUscc(absl::string_view field, absl::string_view uscc) {
  if (uscc.size() != 18) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 18 characters, got ", uscc.size()));
  }
  for (size_t i = 0; i < uscc.size(); ++i) {
    if (UsccValue(uscc[i]) < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": character ", i + 1, " '", uscc.substr(i, 1),
          "' is not a digit or an upper-case letter other than I, O, Z, S, V (GB 32100-2015)"));
    }
  }
  const char expected = UsccCheckCharacter(uscc.substr(0, 17));
  if (uscc[17] != expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": check character is '", uscc.substr(17, 1), "' but GB 32100-2015 gives '",
        std::string(1, expected), "' for ", uscc.substr(0, 17)));
  }
  return absl::OkStatus();
}

}  // namespace jiangan::investment
