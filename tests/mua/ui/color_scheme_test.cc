#include "mua/ui/color_scheme.h"

#include <gtest/gtest.h>

#include "common/store/schema.h"

namespace pigeon::mua::ui {
namespace {

Style Colored(Color foreground, Color background) {
  Style style;
  style.color = foreground;
  style.background = background;
  return style;
}

TEST(ColorScheme, DefaultsReadOnAMonochromeTerminalToo) {
  const ColorScheme scheme;
  EXPECT_TRUE(scheme.Of(ColorObject::kIndicator).reverse);
  EXPECT_TRUE(scheme.Of(ColorObject::kStatus).reverse);
  EXPECT_TRUE(scheme.Of(ColorObject::kSearch).reverse);
  EXPECT_TRUE(scheme.Of(ColorObject::kSignature).dim);
  EXPECT_TRUE(scheme.Of(ColorObject::kSidebarNew).bold);
  EXPECT_EQ(scheme.Of(ColorObject::kNormal), Style{});
  EXPECT_EQ(scheme.Quoted(1).color, Color::kCyan);
  EXPECT_EQ(scheme.Quoted(2).color, Color::kGreen);
  EXPECT_EQ(scheme.Quoted(6).color, Color::kCyan);  // past quoted4 the colours go round
  EXPECT_EQ(scheme.IndexLine(0, false), Style{});
}

TEST(ColorScheme, ObjectLinesSetAttributesAndColours) {
  ColorScheme scheme;
  ASSERT_TRUE(scheme.Apply("indicator black cyan"));
  EXPECT_EQ(scheme.Of(ColorObject::kIndicator), Colored(Color::kBlack, Color::kCyan));
  ASSERT_TRUE(scheme.Apply("status  bold underline\twhite color24"));
  Style status = Colored(Color::kWhite, static_cast<Color>(24));
  status.bold = true;
  status.underline = true;
  EXPECT_EQ(scheme.Of(ColorObject::kStatus), status);
  ASSERT_TRUE(scheme.Apply("quoted1 brightyellow default"));  // bright: bold, as mutt
  Style quoted = Colored(Color::kYellow, Color::kDefault);
  quoted.bold = true;
  EXPECT_EQ(scheme.Quoted(2), quoted);
  ASSERT_TRUE(scheme.Apply("quoted green default"));
  EXPECT_EQ(scheme.Quoted(1), Colored(Color::kGreen, Color::kDefault));
  ASSERT_TRUE(scheme.Apply("signature reverse none blue default"));  // none clears
  EXPECT_EQ(scheme.Of(ColorObject::kSignature), Colored(Color::kBlue, Color::kDefault));
}

TEST(ColorScheme, IndexRulesByFlagPatternLaterLinesFirst) {
  ColorScheme scheme;
  ASSERT_TRUE(scheme.Apply("index green default ~N"));
  ASSERT_TRUE(scheme.Apply("index red default ~D"));
  ASSERT_TRUE(scheme.Apply("index bold default default ~T"));
  const int seen = store::kFlagSeen;
  EXPECT_EQ(scheme.IndexLine(0, false).color, Color::kGreen);
  EXPECT_EQ(scheme.IndexLine(store::kFlagDeleted, false).color, Color::kRed);  // ~D is later
  EXPECT_TRUE(scheme.IndexLine(store::kFlagDeleted, true).bold);
  EXPECT_EQ(scheme.IndexLine(seen, false), Style{});
  ASSERT_TRUE(scheme.Apply("index yellow default ~F"));
  EXPECT_EQ(scheme.IndexLine(seen | store::kFlagFlagged, false).color, Color::kYellow);
  ASSERT_TRUE(scheme.Apply("index cyan default ~O"));
  EXPECT_EQ(scheme.IndexLine(seen, false).color, Color::kCyan);
}

TEST(ColorScheme, BadLinesNameTheWrongWord) {
  ColorScheme scheme;
  const auto error = [&scheme](std::string_view line) {
    Result<void> applied = scheme.Apply(line);
    return applied ? std::string("applied") : applied.error().message;
  };
  EXPECT_EQ(error("indicatr black cyan"), "\"indicatr black cyan\": unknown object \"indicatr\"");
  EXPECT_EQ(error("indicator black"),
            "\"indicator black\": expected a foreground and a background colour");
  EXPECT_EQ(error("indicator black cyann"), "\"indicator black cyann\": unknown colour \"cyann\"");
  EXPECT_EQ(error("indicator color256 cyan"),
            "\"indicator color256 cyan\": unknown colour \"color256\"");
  EXPECT_EQ(error("status red blue extra"), "\"status red blue extra\": unexpected \"extra\"");
  EXPECT_EQ(error("index red default"),
            "\"index red default\": expected one pattern after the colours (~N, ~O, ~D, ~F, ~T "
            "or ~A)");
  EXPECT_EQ(error("index red default ~s"),
            "\"index red default ~s\": unsupported pattern \"~s\" (~N, ~O, ~D, ~F, ~T or ~A)");
  EXPECT_EQ(error(""), "\"\": expected \"OBJECT FOREGROUND BACKGROUND\"");
}

TEST(ColorScheme, ConfigLinesApplyAllOrNothing) {
  ColorScheme scheme;
  Result<void> applied = ApplyColorLines({"indicator black cyan", "bogus red blue"}, scheme);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().message, "color \"bogus red blue\": unknown object \"bogus\"");
  EXPECT_TRUE(scheme.Of(ColorObject::kIndicator).reverse);  // unchanged
  ASSERT_TRUE(ApplyColorLines({"indicator black cyan"}, scheme));
  EXPECT_EQ(scheme.Of(ColorObject::kIndicator), Colored(Color::kBlack, Color::kCyan));
}

}  // namespace
}  // namespace pigeon::mua::ui
