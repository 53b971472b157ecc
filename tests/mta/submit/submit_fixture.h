// The fixture the submitter's tests and the reader's sending tests share: a store in a fresh
// temporary directory, the owner ada@example.org (a local user; "lists" and "root" aliases),
// a fixed clock, and a Submitter on them that counts its wake-ups of pigeond.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "mta/policy/recipient_policy.h"
#include "mta/queue/queue_id.h"
#include "mta/submit/submitter.h"
#include "tests/support/temp_directory.h"

namespace pigeon::testing {

class SubmitFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    config_.owner = "ada@example.org";
    config_.owner_name = "Ada Lovelace";
    config_.smtpd.hostname = "mail.example.org";
    config_.smtpd.local_domains = {"example.org"};
    config_.smtpd.local_users = {"ada"};
    mta::policy::Aliases aliases = mta::policy::ParseAliases("lists: +lists/dev\nroot: ada\n");
    policy_ = std::make_unique<mta::policy::RecipientPolicy>(config_, std::move(aliases));
    Result<std::unique_ptr<store::Store>> store =
        store::Store::Open(dir_.path() + "/pigeon.db", clock_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    submitter_ = std::make_unique<mta::submit::Submitter>(config_, *policy_, *store_, clock_,
                                                          queue_ids_, [this] { ++wakes_; });
  }

  // The messages of `folder`, newest first (the store's page order).
  std::vector<store::MessageSummary> In(std::string_view folder) {
    Result<store::FolderInfo> info = store_->FindFolder(folder);
    EXPECT_TRUE(info) << folder;
    if (!info) return {};
    store::PageRequest request;
    request.folder_id = info->id;
    Result<std::vector<store::MessageSummary>> page = store_->Page(request);
    EXPECT_TRUE(page);
    return page ? *page : std::vector<store::MessageSummary>{};
  }

  sys::FixedClock clock_{1'796'000'000};
  testing::TempDirectory dir_{"submit-test"};
  config::Config config_;
  std::unique_ptr<mta::policy::RecipientPolicy> policy_;
  std::unique_ptr<store::Store> store_;
  mta::queue::QueueIdSource queue_ids_;
  std::unique_ptr<mta::submit::Submitter> submitter_;
  int wakes_ = 0;
};

}  // namespace pigeon::testing
