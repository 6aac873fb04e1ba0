package core

import (
	"testing"

	"ormlab/dialect"
)

// testSchema is the schema the golden and execution tests share: every
// generic type, composite and single keys, all constraint kinds, reserved
// and mixed-case names.
type testSchema struct {
	md                 *MetaData
	orgs, users, posts *Table
	tags, postTags     *Table
}

func newTestSchema() *testSchema {
	md := NewMetaData()
	s := &testSchema{md: md}
	s.orgs = md.Table("orgs",
		Column("id", Integer(), PrimaryKey()),
		Column("name", String(50), NotNull(), Unique()),
	)
	s.users = md.Table("users",
		Column("id", Integer(), PrimaryKey()),
		Column("name", String(50), NotNull()),
		Column("org_id", Integer(), ForeignKey("orgs.id", OnDelete("CASCADE"))),
		Column("active", Boolean(), Default(true), ServerDefault("1")),
		Column("score", Numeric(10, 2)),
		Column("ratio", Float()),
		Column("big", BigInteger()),
		Column("small", SmallInteger()),
		Column("bio", TextType()),
		Column("born", Date()),
		Column("created", DateTime(), ServerDefault(Text("CURRENT_TIMESTAMP"))),
		Column("wakes", Time()),
		Column("avatar", LargeBinary()),
		Column("prefs", JSON()),
		Column("kind", Enum("admin", "member")),
		Column("uid", UUID()),
		UniqueConstraint("name", "org_id"),
		CheckConstraint("length(name) > 0", "name_nonempty"),
		IndexOn("ix_users_org", "org_id"),
	)
	s.posts = md.Table("posts",
		Column("id", Integer(), PrimaryKey()),
		Column("user_id", Integer(), NotNull(), ForeignKey("users.id", OnDelete("CASCADE"), OnUpdate("CASCADE"))),
		Column("title", String(200), NotNull()),
		Column("order", Integer()),
		Column("viewCount", Integer(), Default(0)),
	)
	s.tags = md.Table("tags",
		Column("id", Integer(), PrimaryKey()),
		Column("label", String(30), NotNull(), Unique()),
	)
	s.postTags = md.Table("post_tags",
		Column("post_id", Integer(), ForeignKey("posts.id", OnDelete("CASCADE"))),
		Column("tag_id", Integer(), ForeignKey("tags.id")),
		PrimaryKeyConstraint("post_id", "tag_id"),
	)
	return s
}

func mustDialect(t testing.TB, name string) dialect.Dialect {
	t.Helper()
	d, err := dialect.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// four holds one expected string per dialect, in dialect.Names() order.
type four [4]string

// same is the expectation for SQL identical in every dialect.
func same(s string) four { return four{s, s, s, s} }

// dialects in four's order.
var dialectOrder = []string{dialect.SQLite, dialect.PostgreSQL, dialect.MySQL, dialect.MSSQL}
