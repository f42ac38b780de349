// A page of a store's resources (AIP-132 List): the rows a filter selects,
// in the order `order_by` names, from where the page token left off, behind
// signed keyset page tokens that stay correct while rows are inserted.
#ifndef JIANGAN_COMMON_STORAGE_RESOURCE_PAGE_H_
#define JIANGAN_COMMON_STORAGE_RESOURCE_PAGE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/base/pagination.h"
#include "common/storage/sql_query.h"
#include "common/storage/sql_db.h"
#include "google/protobuf/message.h"

namespace jiangan {

struct ResourcePageQuery {
  // The columns handed to `add`, starting with seq, and where they come
  // from, e.g. "seq, id, payload" and "leads JOIN lead_payloads USING (seq)".
  absl::string_view columns;
  absl::string_view source;
  // The fields order_by may name.
  absl::Span<const OrderField> order_fields;
};

// Hands each row of the page to `add` and sets `next_page_token` when more
// follow. `where` is the request's filter; `request` is the List request the
// token is bound to. INVALID_ARGUMENT for a bad page_size, order_by or token.
absl::Status ListResourcePage(SqlDb* db, const SignedPageTokens& tokens,
                              const google::protobuf::Message& request, int32_t page_size,
                              absl::string_view page_token, absl::string_view order_by,
                              const ResourcePageQuery& query, SqlWhere where,
                              const std::function<absl::Status(const SqlStatement& row)>& add,
                              std::string* next_page_token);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_RESOURCE_PAGE_H_
