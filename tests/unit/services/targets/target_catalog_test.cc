// The district's target catalog: every quantified target of the report,
// each quoted verbatim from it, and the catalog's rules.
#include "services/targets/target_catalog.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/targets/target_actuals.h"
#include "gmock/gmock.h"
#include "jiangan/renewal/v1/renewal.pb.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/status_matchers.h"

namespace jiangan::targets {
namespace {

using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;
namespace v1 = portfolio::v1;

const std::string kCatalog = absl::StrCat(JIANGAN_SOURCE_DIR, "/seed/2024/targets.json");
// The report, as the project is handed it beside the repository.
const std::string kReport =
    absl::StrCat(JIANGAN_SOURCE_DIR, "/../shared/seeds/000_63741cc1e03311a7.txt");

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(TargetCatalogTest, EveryTargetOfTheReportQuotedVerbatim) {
  auto catalog = LoadTargetCatalog(kCatalog);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_GE(catalog->targets_size(), 50);
  const std::string report = ReadAll(kReport);
  ASSERT_FALSE(report.empty()) << "the report is not at " << kReport;
  int computed = 0;
  for (const v1::Target& target : catalog->targets()) {
    EXPECT_TRUE(absl::StrContains(report, target.source_quote())) << target.name();
    if (target.has_starting_level()) {
      EXPECT_TRUE(absl::StrContains(report, target.starting_level().source_quote()))
          << target.name();
    }
    computed += target.measurement() == v1::COMPUTED;
  }
  EXPECT_GE(computed, 20);
  // The figures a leader asks for first are there, measured from records.
  for (const char* name : {"targets/expropriation-signed", "targets/industrial-funds-arrived",
                           "targets/school-places", "targets/parking-spaces",
                           "targets/old-communities-started"}) {
    auto it = std::find_if(catalog->targets().begin(), catalog->targets().end(),
                           [&](const v1::Target& t) { return t.name() == name; });
    ASSERT_NE(it, catalog->targets().end()) << name;
    EXPECT_EQ(it->measurement(), v1::COMPUTED) << name;
  }
}

class BrokenCatalogTest : public ::testing::Test {
 protected:
  absl::Status Load(const std::string& target_json) {
    const std::string path = jiangan::testing::MakeTempDir() + "/targets.json";
    std::ofstream(path) << "{\"targets\":[" << target_json << "]}";
    return LoadTargetCatalog(path).status();
  }
  static std::string Target(const std::string& extra) {
    return absl::StrCat(
        R"({"name":"targets/a","displayName":"A","year":2024,"targetValue":"10","unit":"个",)",
        R"("sourceQuote":"q","bound":"AT_LEAST",)", extra, "}");
  }
};

TEST_F(BrokenCatalogTest, EachRuleNamesTheField) {
  EXPECT_TRUE(Load(Target(R"("measurement":"REPORTED")")).ok());
  EXPECT_TRUE(Load(Target(R"("measurement":"COMPUTED","measuredBy":"renewal",)"
                          R"("rule":"renewal.reported:households","ruleText":"t")"))
                  .ok());
  EXPECT_THAT(Load(Target(R"("measurement":"COMPUTED","measuredBy":"renewal","rule":"r","ruleText":"t")")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rule: \"r\" is not a rule")));
  EXPECT_THAT(Load(Target(R"("measurement":"COMPUTED","measuredBy":"weather","rule":"r","ruleText":"t")")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("measured_by")));
  EXPECT_THAT(Load(Target(R"("measurement":"COMPUTED","measuredBy":"renewal")")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rule: is required")));
  EXPECT_THAT(Load(Target(R"("measurement":"REPORTED","rule":"r")")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("REPORTED")));
  EXPECT_THAT(Load(Target("")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("measurement: is required")));
  EXPECT_THAT(Load(absl::StrCat(Target(R"("measurement":"REPORTED")"), ",",
                                Target(R"("measurement":"REPORTED")"))),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("listed twice")));
  for (const char* value : {"-3", "1.2.3", ".5", ""}) {
    EXPECT_THAT(Load(absl::StrCat(R"({"name":"targets/b","displayName":"B","year":2024,)",
                                  R"("targetValue":")", value, R"(","unit":"个","sourceQuote":"q",)",
                                  R"("bound":"EXACT","measurement":"REPORTED"})")),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("target_value")))
        << value;
  }
  // A starting level lies below the target, says where it comes from and
  // stands before the year.
  const std::string start = R"("measurement":"REPORTED","startingLevel":)";
  EXPECT_TRUE(Load(Target(start + R"({"value":"5","asOf":{"year":2023,"month":12,"day":31},)"
                                  R"("sourceQuote":"q"})"))
                  .ok());
  EXPECT_THAT(Load(Target(start + R"({"value":"10","asOf":{"year":2023,"month":12,"day":31},)"
                                  R"("sourceQuote":"q"})")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("starting_level.value")));
  EXPECT_THAT(Load(Target(start + R"({"value":"5","asOf":{"year":2023,"month":12,"day":31}})")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("starting_level.source_quote: is required")));
  EXPECT_THAT(Load(Target(start + R"({"value":"5","asOf":{"year":2024,"month":1,"day":1},)"
                                  R"("sourceQuote":"q"})")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("starting_level.as_of")));
  EXPECT_THAT(Load(R"({"name":"bad name","displayName":"B","year":2024,"targetValue":"3",)"
                   R"("unit":"个","sourceQuote":"q","bound":"EXACT","measurement":"REPORTED"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
}

// A later year's target continues one of the year before in the same unit;
// a name is one target of one year.
TEST(TargetCatalogLinksTest, ALinkNamesLastYearsTargetOfTheSameUnit) {
  auto target = [](const std::string& name, int year, const std::string& unit,
                   const std::string& previous) {
    portfolio::v1::Target made;
    made.set_name(name);
    made.set_year(year);
    made.set_unit(unit);
    made.set_previous_target(previous);
    return made;
  };
  const auto signed_2024 = target("targets/signed", 2024, "平方米", "");
  EXPECT_TRUE(CheckCatalogLinks({signed_2024, target("targets/signed-2025", 2025, "平方米",
                                                     "targets/signed")})
                  .ok());
  EXPECT_THAT(CheckCatalogLinks({signed_2024, target("targets/signed-2026", 2026, "平方米",
                                                     "targets/signed")}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("a target of 2025")));
  EXPECT_THAT(CheckCatalogLinks({signed_2024, target("targets/signed-2025", 2025, "万平方米",
                                                     "targets/signed")}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("same unit")));
  EXPECT_THAT(CheckCatalogLinks({signed_2024, target("targets/signed-2025", 2025, "平方米",
                                                     "targets/missing")}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("targets/missing")));
  EXPECT_THAT(CheckCatalogLinks({signed_2024, target("targets/signed", 2025, "平方米", "")}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("taken")));
}

TEST(TargetRuleTest, ParsesEveryForm) {
  auto land = ParseTargetRule("renewal.reported:land_area_centimu/100");
  ASSERT_TRUE(land.ok()) << land.status();
  EXPECT_EQ(land->field, "land_area_centimu");
  EXPECT_EQ(land->divisor, 100);
  auto started = ParseTargetRule("renewal.entered:UNDER_CONSTRUCTION:OLD_COMMUNITY_RENOVATION");
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started->kinds.size(), 1u);
  EXPECT_TRUE(ParseTargetRule("investment.arrived").ok());
  EXPECT_TRUE(ParseTargetRule("investment.entered:REGISTERED:key_enterprise").ok());
  auto seats = ParseTargetRule("facilities.added:PRIMARY_SCHOOL,KINDERGARTEN");
  ASSERT_TRUE(seats.ok());
  EXPECT_EQ(seats->kinds.size(), 2u);
  EXPECT_FALSE(seats->public_only);
  auto public_schools = ParseTargetRule("facilities.built:PRIMARY_SCHOOL,KINDERGARTEN?public");
  ASSERT_TRUE(public_schools.ok()) << public_schools.status();
  EXPECT_TRUE(public_schools->public_only);
  EXPECT_EQ(public_schools->source, TargetRule::Source::kFacilitiesBuilt);
  auto power = ParseTargetRule("renewal.reported:pipe_length_m?pipe_kind=POWER");
  ASSERT_TRUE(power.ok()) << power.status();
  EXPECT_EQ(power->pipe_kind, renewal::v1::POWER);
  auto micro = ParseTargetRule("renewal.reported:road_length_m?road_kind=MICRO_CIRCULATION");
  ASSERT_TRUE(micro.ok()) << micro.status();
  EXPECT_EQ(micro->road_kind, renewal::v1::MICRO_CIRCULATION);
  for (const char* bad :
       {"renewal.reported:acres", "renewal.reported:households/0", "renewal.entered:DONE:OTHER",
        "investment.entered:REGISTERED:rich", "facilities.opened:CASTLE", "facilities.added",
        "facilities.built:PARK?private", "renewal.reported:households?public",
        "renewal.reported:pipe_length_m?pipe_kind=OIL", "renewal.entered:APPROVED:OTHER?pipe_kind=POWER",
        "weather.rain"}) {
    EXPECT_THAT(ParseTargetRule(bad).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(bad)))
        << bad;
  }
}

}  // namespace
}  // namespace jiangan::targets
