package core

// goldenWant holds the reviewed SQL of each golden case (see goldenCase).
// Regenerate candidates with ORMLAB_GOLDEN_GEN=/tmp/gen.txt go test -run TestGolden
// and review every changed line against the dialect rules before pasting.
var goldenWant = map[string]struct{ want, inline four }{
	"select_columns": {
		want: same("SELECT users.id, users.name FROM users"),
	},
	"select_where_order_limit_offset": {
		want: four{
			"SELECT users.id, users.name FROM users WHERE users.name = ? ORDER BY users.id DESC LIMIT 10 OFFSET 5",
			"SELECT users.id, users.name FROM users WHERE users.name = $1 ORDER BY users.id DESC LIMIT 10 OFFSET 5",
			"SELECT users.id, users.name FROM users WHERE users.name = ? ORDER BY users.id DESC LIMIT 10 OFFSET 5",
			"SELECT users.id, users.name FROM users WHERE users.name = @p1 ORDER BY users.id DESC OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY",
		},
		inline: four{
			"SELECT users.id, users.name FROM users WHERE users.name = 'x' ORDER BY users.id DESC LIMIT 10 OFFSET 5",
			"SELECT users.id, users.name FROM users WHERE users.name = 'x' ORDER BY users.id DESC LIMIT 10 OFFSET 5",
			"SELECT users.id, users.name FROM users WHERE users.name = 'x' ORDER BY users.id DESC LIMIT 10 OFFSET 5",
			"SELECT users.id, users.name FROM users WHERE users.name = 'x' ORDER BY users.id DESC OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY",
		},
	},
	"limit_only": {
		want: four{
			"SELECT users.id FROM users ORDER BY users.id LIMIT 3",
			"SELECT users.id FROM users ORDER BY users.id LIMIT 3",
			"SELECT users.id FROM users ORDER BY users.id LIMIT 3",
			"SELECT TOP 3 users.id FROM users ORDER BY users.id",
		},
	},
	"offset_only": {
		want: four{
			"SELECT users.id FROM users ORDER BY users.id ASC LIMIT -1 OFFSET 4",
			"SELECT users.id FROM users ORDER BY users.id ASC OFFSET 4",
			"SELECT users.id FROM users ORDER BY users.id ASC LIMIT 18446744073709551615 OFFSET 4",
			"SELECT users.id FROM users ORDER BY users.id ASC OFFSET 4 ROWS",
		},
	},
	"distinct_limit": {
		want: four{
			"SELECT DISTINCT users.name FROM users LIMIT 5",
			"SELECT DISTINCT users.name FROM users LIMIT 5",
			"SELECT DISTINCT users.name FROM users LIMIT 5",
			"SELECT DISTINCT TOP 5 users.name FROM users",
		},
	},
	"select_table": {
		want: same("SELECT tags.id, tags.label FROM tags"),
	},
	"comparisons": {
		want: four{
			"SELECT users.id FROM users WHERE users.id = ? AND users.id != ? AND users.id < ? AND users.id <= ? AND users.id > ? AND users.id >= ?",
			"SELECT users.id FROM users WHERE users.id = $1 AND users.id != $2 AND users.id < $3 AND users.id <= $4 AND users.id > $5 AND users.id >= $6",
			"SELECT users.id FROM users WHERE users.id = ? AND users.id != ? AND users.id < ? AND users.id <= ? AND users.id > ? AND users.id >= ?",
			"SELECT users.id FROM users WHERE users.id = @p1 AND users.id != @p2 AND users.id < @p3 AND users.id <= @p4 AND users.id > @p5 AND users.id >= @p6",
		},
		inline: same("SELECT users.id FROM users WHERE users.id = 1 AND users.id != 2 AND users.id < 3 AND users.id <= 4 AND users.id > 5 AND users.id >= 6"),
	},
	"in_not_in": {
		want: four{
			"SELECT users.id FROM users WHERE users.id IN (?, ?, ?) AND users.id NOT IN (?, ?)",
			"SELECT users.id FROM users WHERE users.id IN ($1, $2, $3) AND users.id NOT IN ($4, $5)",
			"SELECT users.id FROM users WHERE users.id IN (?, ?, ?) AND users.id NOT IN (?, ?)",
			"SELECT users.id FROM users WHERE users.id IN (@p1, @p2, @p3) AND users.id NOT IN (@p4, @p5)",
		},
		inline: same("SELECT users.id FROM users WHERE users.id IN (1, 2, 3) AND users.id NOT IN (4, 5)"),
	},
	"in_empty": {
		want: same("SELECT users.id FROM users WHERE 1 != 1 OR 1 = 1"),
	},
	"like_ilike": {
		want: four{
			"SELECT users.id FROM users WHERE users.name LIKE ? AND users.name NOT LIKE ? AND lower(users.name) LIKE lower(?) AND lower(users.name) NOT LIKE lower(?)",
			"SELECT users.id FROM users WHERE users.name LIKE $1 AND users.name NOT LIKE $2 AND users.name ILIKE $3 AND users.name NOT ILIKE $4",
			"SELECT users.id FROM users WHERE users.name LIKE ? AND users.name NOT LIKE ? AND lower(users.name) LIKE lower(?) AND lower(users.name) NOT LIKE lower(?)",
			"SELECT users.id FROM users WHERE users.name LIKE @p1 AND users.name NOT LIKE @p2 AND lower(users.name) LIKE lower(@p3) AND lower(users.name) NOT LIKE lower(@p4)",
		},
		inline: four{
			"SELECT users.id FROM users WHERE users.name LIKE 'a%' AND users.name NOT LIKE 'b%' AND lower(users.name) LIKE lower('%C%') AND lower(users.name) NOT LIKE lower('d%')",
			"SELECT users.id FROM users WHERE users.name LIKE 'a%' AND users.name NOT LIKE 'b%' AND users.name ILIKE '%C%' AND users.name NOT ILIKE 'd%'",
			"SELECT users.id FROM users WHERE users.name LIKE 'a%' AND users.name NOT LIKE 'b%' AND lower(users.name) LIKE lower('%C%') AND lower(users.name) NOT LIKE lower('d%')",
			"SELECT users.id FROM users WHERE users.name LIKE 'a%' AND users.name NOT LIKE 'b%' AND lower(users.name) LIKE lower('%C%') AND lower(users.name) NOT LIKE lower('d%')",
		},
	},
	"between": {
		want: four{
			"SELECT users.id FROM users WHERE users.score BETWEEN ? AND ?",
			"SELECT users.id FROM users WHERE users.score BETWEEN $1 AND $2",
			"SELECT users.id FROM users WHERE users.score BETWEEN ? AND ?",
			"SELECT users.id FROM users WHERE users.score BETWEEN @p1 AND @p2",
		},
		inline: same("SELECT users.id FROM users WHERE users.score BETWEEN 1.5 AND 9"),
	},
	"null_tests": {
		want: same("SELECT users.id FROM users WHERE users.org_id IS NULL AND users.org_id IS NOT NULL AND users.org_id IS NULL AND users.org_id IS NOT NULL"),
	},
	"and_or_not": {
		want: four{
			"SELECT users.id FROM users WHERE NOT (users.id > ? AND (users.id < ? OR users.id >= ?)) AND (users.id = ? AND users.id = ? OR users.id = ?)",
			"SELECT users.id FROM users WHERE NOT (users.id > $1 AND (users.id < $2 OR users.id >= $3)) AND (users.id = $4 AND users.id = $5 OR users.id = $6)",
			"SELECT users.id FROM users WHERE NOT (users.id > ? AND (users.id < ? OR users.id >= ?)) AND (users.id = ? AND users.id = ? OR users.id = ?)",
			"SELECT users.id FROM users WHERE NOT (users.id > @p1 AND (users.id < @p2 OR users.id >= @p3)) AND (users.id = @p4 AND users.id = @p5 OR users.id = @p6)",
		},
		inline: same("SELECT users.id FROM users WHERE NOT (users.id > 1 AND (users.id < 5 OR users.id >= 9)) AND (users.id = 1 AND users.id = 2 OR users.id = 3)"),
	},
	"bare_boolean": {
		want: four{
			"SELECT users.id FROM users WHERE users.active = 1 AND users.active = 0 AND users.active = ?",
			"SELECT users.id FROM users WHERE users.active AND NOT users.active AND users.active = $1",
			"SELECT users.id FROM users WHERE users.active = true AND users.active = false AND users.active = ?",
			"SELECT users.id FROM users WHERE users.active = 1 AND users.active = 0 AND users.active = @p1",
		},
		inline: four{
			"SELECT users.id FROM users WHERE users.active = 1 AND users.active = 0 AND users.active = 0",
			"SELECT users.id FROM users WHERE users.active AND NOT users.active AND users.active = false",
			"SELECT users.id FROM users WHERE users.active = true AND users.active = false AND users.active = false",
			"SELECT users.id FROM users WHERE users.active = 1 AND users.active = 0 AND users.active = 0",
		},
	},
	"arithmetic": {
		want: four{
			"SELECT users.id + ? AS a, users.id * ? - users.small / ? AS b, users.id % ? AS c, users.id - (users.small - ?) AS d, (users.id + users.small) * ? AS e, -users.id AS f FROM users",
			"SELECT users.id + $1 AS a, users.id * $2 - users.small / $3 AS b, users.id % $4 AS c, users.id - (users.small - $5) AS d, (users.id + users.small) * $6 AS e, -users.id AS f FROM users",
			"SELECT users.id + ? AS a, users.id * ? - users.small / ? AS b, users.id % ? AS c, users.id - (users.small - ?) AS d, (users.id + users.small) * ? AS e, -users.id AS f FROM users",
			"SELECT users.id + @p1 AS a, users.id * @p2 - users.small / @p3 AS b, users.id % @p4 AS c, users.id - (users.small - @p5) AS d, (users.id + users.small) * @p6 AS e, -users.id AS f FROM users",
		},
		inline: same("SELECT users.id + 1 AS a, users.id * 2 - users.small / 3 AS b, users.id % 2 AS c, users.id - (users.small - 1) AS d, (users.id + users.small) * 2 AS e, -users.id AS f FROM users"),
	},
	"concat": {
		want: four{
			"SELECT users.name || ? || users.bio || ? AS card FROM users",
			"SELECT users.name || $1 || users.bio || $2 AS card FROM users",
			"SELECT concat(users.name, ?, users.bio, ?) AS card FROM users",
			"SELECT users.name + @p1 + users.bio + @p2 AS card FROM users",
		},
		inline: four{
			"SELECT users.name || ' <' || users.bio || '>' AS card FROM users",
			"SELECT users.name || ' <' || users.bio || '>' AS card FROM users",
			"SELECT concat(users.name, ' <', users.bio, '>') AS card FROM users",
			"SELECT users.name + ' <' + users.bio + '>' AS card FROM users",
		},
	},
	"group_having_aggregates": {
		want: four{
			"SELECT users.org_id, count(*) AS n, sum(users.score) AS total, avg(users.ratio) AS mean, min(users.id) AS lo, max(users.id) AS hi, count(DISTINCT users.kind) AS kinds FROM users GROUP BY users.org_id HAVING count(users.id) > ? ORDER BY users.org_id",
			"SELECT users.org_id, count(*) AS n, sum(users.score) AS total, avg(users.ratio) AS mean, min(users.id) AS lo, max(users.id) AS hi, count(DISTINCT users.kind) AS kinds FROM users GROUP BY users.org_id HAVING count(users.id) > $1 ORDER BY users.org_id",
			"SELECT users.org_id, count(*) AS n, sum(users.score) AS total, avg(users.ratio) AS mean, min(users.id) AS lo, max(users.id) AS hi, count(DISTINCT users.kind) AS kinds FROM users GROUP BY users.org_id HAVING count(users.id) > ? ORDER BY users.org_id",
			"SELECT users.org_id, count(*) AS n, sum(users.score) AS total, avg(users.ratio) AS mean, min(users.id) AS lo, max(users.id) AS hi, count(DISTINCT users.kind) AS kinds FROM users GROUP BY users.org_id HAVING count(users.id) > @p1 ORDER BY users.org_id",
		},
		inline: same("SELECT users.org_id, count(*) AS n, sum(users.score) AS total, avg(users.ratio) AS mean, min(users.id) AS lo, max(users.id) AS hi, count(DISTINCT users.kind) AS kinds FROM users GROUP BY users.org_id HAVING count(users.id) > 1 ORDER BY users.org_id"),
	},
	"functions": {
		want: four{
			"SELECT lower(users.name) AS l, upper(users.name) AS u, coalesce(users.bio, ?) AS b, CURRENT_TIMESTAMP AS now, length(users.name) AS len FROM users",
			"SELECT lower(users.name) AS l, upper(users.name) AS u, coalesce(users.bio, $1) AS b, CURRENT_TIMESTAMP AS now, length(users.name) AS len FROM users",
			"SELECT lower(users.name) AS l, upper(users.name) AS u, coalesce(users.bio, ?) AS b, CURRENT_TIMESTAMP AS now, length(users.name) AS len FROM users",
			"SELECT lower(users.name) AS l, upper(users.name) AS u, coalesce(users.bio, @p1) AS b, CURRENT_TIMESTAMP AS now, length(users.name) AS len FROM users",
		},
		inline: same("SELECT lower(users.name) AS l, upper(users.name) AS u, coalesce(users.bio, 'none') AS b, CURRENT_TIMESTAMP AS now, length(users.name) AS len FROM users"),
	},
	"inner_join_on": {
		want: four{
			"SELECT users.name, orgs.name AS name_1 FROM users JOIN orgs ON users.org_id = orgs.id",
			"SELECT users.name, orgs.name AS name_1 FROM users JOIN orgs ON users.org_id = orgs.id",
			"SELECT users.name, orgs.name AS name_1 FROM users INNER JOIN orgs ON users.org_id = orgs.id",
			"SELECT users.name, orgs.name AS name_1 FROM users JOIN orgs ON users.org_id = orgs.id",
		},
	},
	"joins_inferred_and_outer": {
		want: four{
			"SELECT users.name, orgs.name AS name_1, posts.title FROM users JOIN orgs ON users.org_id = orgs.id LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE orgs.name != ?",
			"SELECT users.name, orgs.name AS name_1, posts.title FROM users JOIN orgs ON users.org_id = orgs.id LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE orgs.name != $1",
			"SELECT users.name, orgs.name AS name_1, posts.title FROM users INNER JOIN orgs ON users.org_id = orgs.id LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE orgs.name != ?",
			"SELECT users.name, orgs.name AS name_1, posts.title FROM users JOIN orgs ON users.org_id = orgs.id LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE orgs.name != @p1",
		},
		inline: four{
			"SELECT users.name, orgs.name AS name_1, posts.title FROM users JOIN orgs ON users.org_id = orgs.id LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE orgs.name != 'x'",
			"SELECT users.name, orgs.name AS name_1, posts.title FROM users JOIN orgs ON users.org_id = orgs.id LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE orgs.name != 'x'",
			"SELECT users.name, orgs.name AS name_1, posts.title FROM users INNER JOIN orgs ON users.org_id = orgs.id LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE orgs.name != 'x'",
			"SELECT users.name, orgs.name AS name_1, posts.title FROM users JOIN orgs ON users.org_id = orgs.id LEFT OUTER JOIN posts ON posts.user_id = users.id WHERE orgs.name != 'x'",
		},
	},
	"three_joins": {
		want: four{
			"SELECT users.id, users.name, orgs.name AS name_1, posts.title, post_tags.tag_id FROM users JOIN orgs ON users.org_id = orgs.id JOIN posts ON posts.user_id = users.id LEFT OUTER JOIN post_tags ON post_tags.post_id = posts.id WHERE users.active = ? AND orgs.name LIKE ? ORDER BY users.name, posts.id DESC LIMIT 20",
			"SELECT users.id, users.name, orgs.name AS name_1, posts.title, post_tags.tag_id FROM users JOIN orgs ON users.org_id = orgs.id JOIN posts ON posts.user_id = users.id LEFT OUTER JOIN post_tags ON post_tags.post_id = posts.id WHERE users.active = $1 AND orgs.name LIKE $2 ORDER BY users.name, posts.id DESC LIMIT 20",
			"SELECT users.id, users.name, orgs.name AS name_1, posts.title, post_tags.tag_id FROM users INNER JOIN orgs ON users.org_id = orgs.id INNER JOIN posts ON posts.user_id = users.id LEFT OUTER JOIN post_tags ON post_tags.post_id = posts.id WHERE users.active = ? AND orgs.name LIKE ? ORDER BY users.name, posts.id DESC LIMIT 20",
			"SELECT TOP 20 users.id, users.name, orgs.name AS name_1, posts.title, post_tags.tag_id FROM users JOIN orgs ON users.org_id = orgs.id JOIN posts ON posts.user_id = users.id LEFT OUTER JOIN post_tags ON post_tags.post_id = posts.id WHERE users.active = @p1 AND orgs.name LIKE @p2 ORDER BY users.name, posts.id DESC",
		},
		inline: four{
			"SELECT users.id, users.name, orgs.name AS name_1, posts.title, post_tags.tag_id FROM users JOIN orgs ON users.org_id = orgs.id JOIN posts ON posts.user_id = users.id LEFT OUTER JOIN post_tags ON post_tags.post_id = posts.id WHERE users.active = 1 AND orgs.name LIKE 'A%' ORDER BY users.name, posts.id DESC LIMIT 20",
			"SELECT users.id, users.name, orgs.name AS name_1, posts.title, post_tags.tag_id FROM users JOIN orgs ON users.org_id = orgs.id JOIN posts ON posts.user_id = users.id LEFT OUTER JOIN post_tags ON post_tags.post_id = posts.id WHERE users.active = true AND orgs.name LIKE 'A%' ORDER BY users.name, posts.id DESC LIMIT 20",
			"SELECT users.id, users.name, orgs.name AS name_1, posts.title, post_tags.tag_id FROM users INNER JOIN orgs ON users.org_id = orgs.id INNER JOIN posts ON posts.user_id = users.id LEFT OUTER JOIN post_tags ON post_tags.post_id = posts.id WHERE users.active = true AND orgs.name LIKE 'A%' ORDER BY users.name, posts.id DESC LIMIT 20",
			"SELECT TOP 20 users.id, users.name, orgs.name AS name_1, posts.title, post_tags.tag_id FROM users JOIN orgs ON users.org_id = orgs.id JOIN posts ON posts.user_id = users.id LEFT OUTER JOIN post_tags ON post_tags.post_id = posts.id WHERE users.active = 1 AND orgs.name LIKE 'A%' ORDER BY users.name, posts.id DESC",
		},
	},
	"alias_self_join": {
		want: four{
			"SELECT a.name, b.name AS name_1 FROM users AS a JOIN users AS b ON a.org_id = b.org_id WHERE a.id < b.id",
			"SELECT a.name, b.name AS name_1 FROM users AS a JOIN users AS b ON a.org_id = b.org_id WHERE a.id < b.id",
			"SELECT a.name, b.name AS name_1 FROM users AS a INNER JOIN users AS b ON a.org_id = b.org_id WHERE a.id < b.id",
			"SELECT a.name, b.name AS name_1 FROM users AS a JOIN users AS b ON a.org_id = b.org_id WHERE a.id < b.id",
		},
	},
	"explicit_join_from": {
		want: same("SELECT count(*) FROM orgs LEFT OUTER JOIN users ON users.org_id = orgs.id WHERE users.id IS NULL"),
	},
	"subquery_from": {
		want: four{
			"SELECT orgs.name, counts.n FROM orgs JOIN (SELECT users.org_id, count(users.id) AS n FROM users GROUP BY users.org_id) AS counts ON counts.org_id = orgs.id WHERE counts.n > ?",
			"SELECT orgs.name, counts.n FROM orgs JOIN (SELECT users.org_id, count(users.id) AS n FROM users GROUP BY users.org_id) AS counts ON counts.org_id = orgs.id WHERE counts.n > $1",
			"SELECT orgs.name, counts.n FROM orgs INNER JOIN (SELECT users.org_id, count(users.id) AS n FROM users GROUP BY users.org_id) AS counts ON counts.org_id = orgs.id WHERE counts.n > ?",
			"SELECT orgs.name, counts.n FROM orgs JOIN (SELECT users.org_id, count(users.id) AS n FROM users GROUP BY users.org_id) AS counts ON counts.org_id = orgs.id WHERE counts.n > @p1",
		},
		inline: four{
			"SELECT orgs.name, counts.n FROM orgs JOIN (SELECT users.org_id, count(users.id) AS n FROM users GROUP BY users.org_id) AS counts ON counts.org_id = orgs.id WHERE counts.n > 2",
			"SELECT orgs.name, counts.n FROM orgs JOIN (SELECT users.org_id, count(users.id) AS n FROM users GROUP BY users.org_id) AS counts ON counts.org_id = orgs.id WHERE counts.n > 2",
			"SELECT orgs.name, counts.n FROM orgs INNER JOIN (SELECT users.org_id, count(users.id) AS n FROM users GROUP BY users.org_id) AS counts ON counts.org_id = orgs.id WHERE counts.n > 2",
			"SELECT orgs.name, counts.n FROM orgs JOIN (SELECT users.org_id, count(users.id) AS n FROM users GROUP BY users.org_id) AS counts ON counts.org_id = orgs.id WHERE counts.n > 2",
		},
	},
	"scalar_subquery": {
		want: same("SELECT orgs.name, (SELECT count(*) FROM users WHERE users.org_id = orgs.id) AS members FROM orgs"),
	},
	"in_subquery": {
		want: four{
			"SELECT users.id FROM users WHERE users.org_id IN (SELECT orgs.id FROM orgs WHERE orgs.name LIKE ?)",
			"SELECT users.id FROM users WHERE users.org_id IN (SELECT orgs.id FROM orgs WHERE orgs.name LIKE $1)",
			"SELECT users.id FROM users WHERE users.org_id IN (SELECT orgs.id FROM orgs WHERE orgs.name LIKE ?)",
			"SELECT users.id FROM users WHERE users.org_id IN (SELECT orgs.id FROM orgs WHERE orgs.name LIKE @p1)",
		},
		inline: same("SELECT users.id FROM users WHERE users.org_id IN (SELECT orgs.id FROM orgs WHERE orgs.name LIKE 'a%')"),
	},
	"exists_correlated": {
		want: same("SELECT orgs.id FROM orgs WHERE EXISTS (SELECT users.id FROM users WHERE users.org_id = orgs.id) AND NOT EXISTS (SELECT tags.id FROM tags)"),
	},
	"union": {
		want: same("SELECT users.name FROM users UNION SELECT orgs.name FROM orgs"),
	},
	"union_all_order_limit": {
		want: four{
			"SELECT users.name FROM users UNION ALL SELECT orgs.name FROM orgs WHERE orgs.id > ? ORDER BY name LIMIT 3",
			"SELECT users.name FROM users UNION ALL SELECT orgs.name FROM orgs WHERE orgs.id > $1 ORDER BY name LIMIT 3",
			"SELECT users.name FROM users UNION ALL SELECT orgs.name FROM orgs WHERE orgs.id > ? ORDER BY name LIMIT 3",
			"SELECT users.name FROM users UNION ALL SELECT orgs.name FROM orgs WHERE orgs.id > @p1 ORDER BY name OFFSET 0 ROWS FETCH NEXT 3 ROWS ONLY",
		},
		inline: four{
			"SELECT users.name FROM users UNION ALL SELECT orgs.name FROM orgs WHERE orgs.id > 1 ORDER BY name LIMIT 3",
			"SELECT users.name FROM users UNION ALL SELECT orgs.name FROM orgs WHERE orgs.id > 1 ORDER BY name LIMIT 3",
			"SELECT users.name FROM users UNION ALL SELECT orgs.name FROM orgs WHERE orgs.id > 1 ORDER BY name LIMIT 3",
			"SELECT users.name FROM users UNION ALL SELECT orgs.name FROM orgs WHERE orgs.id > 1 ORDER BY name OFFSET 0 ROWS FETCH NEXT 3 ROWS ONLY",
		},
	},
	"insert_one": {
		want: four{
			"INSERT INTO orgs (name) VALUES (?)",
			"INSERT INTO orgs (name) VALUES ($1)",
			"INSERT INTO orgs (name) VALUES (?)",
			"INSERT INTO orgs (name) VALUES (@p1)",
		},
		inline: same("INSERT INTO orgs (name) VALUES ('Acme')"),
	},
	"insert_defaults": {
		want: four{
			"INSERT INTO posts (user_id, title, \"order\", \"viewCount\") VALUES (?, ?, ?, ?)",
			"INSERT INTO posts (user_id, title, \"order\", \"viewCount\") VALUES ($1, $2, $3, $4)",
			"INSERT INTO posts (user_id, title, `order`, `viewCount`) VALUES (?, ?, ?, ?)",
			"INSERT INTO posts (user_id, title, [order], [viewCount]) VALUES (@p1, @p2, @p3, @p4)",
		},
		inline: four{
			"INSERT INTO posts (user_id, title, \"order\", \"viewCount\") VALUES (1, 'Hi', 2, 0)",
			"INSERT INTO posts (user_id, title, \"order\", \"viewCount\") VALUES (1, 'Hi', 2, 0)",
			"INSERT INTO posts (user_id, title, `order`, `viewCount`) VALUES (1, 'Hi', 2, 0)",
			"INSERT INTO posts (user_id, title, [order], [viewCount]) VALUES (1, 'Hi', 2, 0)",
		},
	},
	"insert_many": {
		want: four{
			"INSERT INTO tags (label) VALUES (?), (?)",
			"INSERT INTO tags (label) VALUES ($1), ($2)",
			"INSERT INTO tags (label) VALUES (?), (?)",
			"INSERT INTO tags (label) VALUES (@p1), (@p2)",
		},
		inline: same("INSERT INTO tags (label) VALUES ('go'), ('sql')"),
	},
	"insert_returning": {
		want: four{
			"INSERT INTO orgs (name) VALUES (?) RETURNING id, name",
			"INSERT INTO orgs (name) VALUES ($1) RETURNING id, name",
			"ERROR: compiling insert for mysql: RETURNING is not supported by the mysql dialect: MySQL cannot return rows from INSERT, UPDATE or DELETE; read the new id with LastInsertId, or select the rows again",
			"INSERT INTO orgs (name) OUTPUT inserted.id, inserted.name VALUES (@p1)",
		},
		inline: four{
			"INSERT INTO orgs (name) VALUES ('Acme') RETURNING id, name",
			"INSERT INTO orgs (name) VALUES ('Acme') RETURNING id, name",
			"ERROR: compiling insert for mysql: RETURNING is not supported by the mysql dialect: MySQL cannot return rows from INSERT, UPDATE or DELETE; read the new id with LastInsertId, or select the rows again",
			"INSERT INTO orgs (name) OUTPUT inserted.id, inserted.name VALUES ('Acme')",
		},
	},
	"insert_empty": {
		want: four{
			"INSERT INTO tags DEFAULT VALUES",
			"INSERT INTO tags DEFAULT VALUES",
			"INSERT INTO tags () VALUES ()",
			"INSERT INTO tags DEFAULT VALUES",
		},
	},
	"insert_from_select": {
		want: four{
			"INSERT INTO tags (label) SELECT lower(orgs.name) FROM orgs WHERE orgs.id > ?",
			"INSERT INTO tags (label) SELECT lower(orgs.name) FROM orgs WHERE orgs.id > $1",
			"INSERT INTO tags (label) SELECT lower(orgs.name) FROM orgs WHERE orgs.id > ?",
			"INSERT INTO tags (label) SELECT lower(orgs.name) FROM orgs WHERE orgs.id > @p1",
		},
		inline: same("INSERT INTO tags (label) SELECT lower(orgs.name) FROM orgs WHERE orgs.id > 1"),
	},
	"update_where": {
		want: four{
			"UPDATE users SET name=?, score=(users.score + ?) WHERE users.id = ?",
			"UPDATE users SET name=$1, score=(users.score + $2) WHERE users.id = $3",
			"UPDATE users SET name=?, score=(users.score + ?) WHERE users.id = ?",
			"UPDATE users SET name=@p1, score=(users.score + @p2) WHERE users.id = @p3",
		},
		inline: same("UPDATE users SET name='b', score=(users.score + 1) WHERE users.id = 7"),
	},
	"update_returning": {
		want: four{
			"UPDATE users SET active=? WHERE users.org_id = ? RETURNING id",
			"UPDATE users SET active=$1 WHERE users.org_id = $2 RETURNING id",
			"ERROR: compiling update for mysql: RETURNING is not supported by the mysql dialect: MySQL cannot return rows from INSERT, UPDATE or DELETE; read the new id with LastInsertId, or select the rows again",
			"UPDATE users SET active=@p1 OUTPUT inserted.id WHERE users.org_id = @p2",
		},
		inline: four{
			"UPDATE users SET active=0 WHERE users.org_id = 3 RETURNING id",
			"UPDATE users SET active=false WHERE users.org_id = 3 RETURNING id",
			"ERROR: compiling update for mysql: RETURNING is not supported by the mysql dialect: MySQL cannot return rows from INSERT, UPDATE or DELETE; read the new id with LastInsertId, or select the rows again",
			"UPDATE users SET active=0 OUTPUT inserted.id WHERE users.org_id = 3",
		},
	},
	"delete_where": {
		want: four{
			"DELETE FROM posts WHERE posts.user_id IN (?, ?)",
			"DELETE FROM posts WHERE posts.user_id IN ($1, $2)",
			"DELETE FROM posts WHERE posts.user_id IN (?, ?)",
			"DELETE FROM posts WHERE posts.user_id IN (@p1, @p2)",
		},
		inline: same("DELETE FROM posts WHERE posts.user_id IN (1, 2)"),
	},
	"delete_returning": {
		want: four{
			"DELETE FROM posts WHERE posts.id = ? RETURNING id, title",
			"DELETE FROM posts WHERE posts.id = $1 RETURNING id, title",
			"ERROR: compiling delete for mysql: RETURNING is not supported by the mysql dialect: MySQL cannot return rows from INSERT, UPDATE or DELETE; read the new id with LastInsertId, or select the rows again",
			"DELETE FROM posts OUTPUT deleted.id, deleted.title WHERE posts.id = @p1",
		},
		inline: four{
			"DELETE FROM posts WHERE posts.id = 1 RETURNING id, title",
			"DELETE FROM posts WHERE posts.id = 1 RETURNING id, title",
			"ERROR: compiling delete for mysql: RETURNING is not supported by the mysql dialect: MySQL cannot return rows from INSERT, UPDATE or DELETE; read the new id with LastInsertId, or select the rows again",
			"DELETE FROM posts OUTPUT deleted.id, deleted.title WHERE posts.id = 1",
		},
	},
	"quoting": {
		want: four{
			"SELECT posts.\"order\", posts.\"viewCount\" FROM posts WHERE posts.\"order\" > ? ORDER BY posts.\"viewCount\" DESC",
			"SELECT posts.\"order\", posts.\"viewCount\" FROM posts WHERE posts.\"order\" > $1 ORDER BY posts.\"viewCount\" DESC",
			"SELECT posts.`order`, posts.`viewCount` FROM posts WHERE posts.`order` > ? ORDER BY posts.`viewCount` DESC",
			"SELECT posts.[order], posts.[viewCount] FROM posts WHERE posts.[order] > @p1 ORDER BY posts.[viewCount] DESC",
		},
		inline: four{
			"SELECT posts.\"order\", posts.\"viewCount\" FROM posts WHERE posts.\"order\" > 1 ORDER BY posts.\"viewCount\" DESC",
			"SELECT posts.\"order\", posts.\"viewCount\" FROM posts WHERE posts.\"order\" > 1 ORDER BY posts.\"viewCount\" DESC",
			"SELECT posts.`order`, posts.`viewCount` FROM posts WHERE posts.`order` > 1 ORDER BY posts.`viewCount` DESC",
			"SELECT posts.[order], posts.[viewCount] FROM posts WHERE posts.[order] > 1 ORDER BY posts.[viewCount] DESC",
		},
	},
	"inline_escaping": {
		want: four{
			"SELECT users.id FROM users WHERE users.name = ? AND users.bio = ? AND users.active = ? AND users.created < ? AND users.avatar = ? AND users.ratio > ?",
			"SELECT users.id FROM users WHERE users.name = $1 AND users.bio = $2 AND users.active = $3 AND users.created < $4 AND users.avatar = $5 AND users.ratio > $6",
			"SELECT users.id FROM users WHERE users.name = ? AND users.bio = ? AND users.active = ? AND users.created < ? AND users.avatar = ? AND users.ratio > ?",
			"SELECT users.id FROM users WHERE users.name = @p1 AND users.bio = @p2 AND users.active = @p3 AND users.created < @p4 AND users.avatar = @p5 AND users.ratio > @p6",
		},
		inline: four{
			"SELECT users.id FROM users WHERE users.name = 'O''Brien \\ \"x\"' AND users.bio = 'Zoë' AND users.active = 1 AND users.created < '2024-01-02 03:04:05' AND users.avatar = X'dead' AND users.ratio > 0.25",
			"SELECT users.id FROM users WHERE users.name = 'O''Brien \\ \"x\"' AND users.bio = 'Zoë' AND users.active = true AND users.created < '2024-01-02 03:04:05' AND users.avatar = '\\xdead'::bytea AND users.ratio > 0.25",
			"SELECT users.id FROM users WHERE users.name = 'O''Brien \\\\ \"x\"' AND users.bio = 'Zoë' AND users.active = true AND users.created < '2024-01-02 03:04:05' AND users.avatar = X'dead' AND users.ratio > 0.25",
			"SELECT users.id FROM users WHERE users.name = 'O''Brien \\ \"x\"' AND users.bio = N'Zoë' AND users.active = 1 AND users.created < '2024-01-02 03:04:05' AND users.avatar = 0xdead AND users.ratio > 0.25",
		},
	},
	"create_table_all_types": {
		want: four{
			`CREATE TABLE users (
	id INTEGER NOT NULL,
	name VARCHAR(50) NOT NULL,
	org_id INTEGER,
	active BOOLEAN DEFAULT '1',
	score NUMERIC(10, 2),
	ratio FLOAT,
	big BIGINT,
	small SMALLINT,
	bio TEXT,
	born DATE,
	created DATETIME DEFAULT CURRENT_TIMESTAMP,
	wakes TIME,
	avatar BLOB,
	prefs JSON,
	kind VARCHAR(6),
	uid CHAR(36),
	PRIMARY KEY (id),
	UNIQUE (name, org_id),
	CONSTRAINT name_nonempty CHECK (length(name) > 0),
	CHECK (kind IN ('admin', 'member')),
	FOREIGN KEY(org_id) REFERENCES orgs (id) ON DELETE CASCADE
)`,
			`CREATE TABLE users (
	id SERIAL NOT NULL,
	name VARCHAR(50) NOT NULL,
	org_id INTEGER,
	active BOOLEAN DEFAULT '1',
	score NUMERIC(10, 2),
	ratio FLOAT,
	big BIGINT,
	small SMALLINT,
	bio TEXT,
	born DATE,
	created TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
	wakes TIME WITHOUT TIME ZONE,
	avatar BYTEA,
	prefs JSON,
	kind VARCHAR(6),
	uid UUID,
	PRIMARY KEY (id),
	UNIQUE (name, org_id),
	CONSTRAINT name_nonempty CHECK (length(name) > 0),
	CHECK (kind IN ('admin', 'member')),
	FOREIGN KEY(org_id) REFERENCES orgs (id) ON DELETE CASCADE
)`,
			`CREATE TABLE users (
	id INTEGER NOT NULL AUTO_INCREMENT,
	name VARCHAR(50) NOT NULL,
	org_id INTEGER,
	active BOOL DEFAULT '1',
	score NUMERIC(10, 2),
	ratio FLOAT,
	big BIGINT,
	small SMALLINT,
	bio TEXT,
	born DATE,
	created DATETIME DEFAULT CURRENT_TIMESTAMP,
	wakes TIME,
	avatar BLOB,
	prefs JSON,
	kind ENUM('admin','member'),
	uid CHAR(36),
	PRIMARY KEY (id),
	UNIQUE (name, org_id),
	CONSTRAINT name_nonempty CHECK (length(name) > 0),
	FOREIGN KEY(org_id) REFERENCES orgs (id) ON DELETE CASCADE
)`,
			`CREATE TABLE users (
	id INTEGER NOT NULL IDENTITY,
	name VARCHAR(50) NOT NULL,
	org_id INTEGER NULL,
	active BIT NULL DEFAULT '1',
	score NUMERIC(10, 2) NULL,
	ratio FLOAT NULL,
	big BIGINT NULL,
	small SMALLINT NULL,
	bio VARCHAR(max) NULL,
	born DATE NULL,
	created DATETIME NULL DEFAULT CURRENT_TIMESTAMP,
	wakes TIME NULL,
	avatar VARBINARY(max) NULL,
	prefs NVARCHAR(max) NULL,
	kind VARCHAR(6) NULL,
	uid UNIQUEIDENTIFIER NULL,
	PRIMARY KEY (id),
	UNIQUE (name, org_id),
	CONSTRAINT name_nonempty CHECK (length(name) > 0),
	CHECK (kind IN ('admin', 'member')),
	FOREIGN KEY(org_id) REFERENCES orgs (id) ON DELETE CASCADE
)`,
		},
	},
	"create_table_composite_pk": {
		want: same(`CREATE TABLE post_tags (
	post_id INTEGER NOT NULL,
	tag_id INTEGER NOT NULL,
	PRIMARY KEY (post_id, tag_id),
	FOREIGN KEY(post_id) REFERENCES posts (id) ON DELETE CASCADE,
	FOREIGN KEY(tag_id) REFERENCES tags (id)
)`),
	},
	"create_table_reserved_names": {
		want: four{
			`CREATE TABLE posts (
	id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	title VARCHAR(200) NOT NULL,
	"order" INTEGER,
	"viewCount" INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
)`,
			`CREATE TABLE posts (
	id SERIAL NOT NULL,
	user_id INTEGER NOT NULL,
	title VARCHAR(200) NOT NULL,
	"order" INTEGER,
	"viewCount" INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
)`,
			"CREATE TABLE posts (\n\tid INTEGER NOT NULL AUTO_INCREMENT,\n\tuser_id INTEGER NOT NULL,\n\ttitle VARCHAR(200) NOT NULL,\n\t`order` INTEGER,\n\t`viewCount` INTEGER,\n\tPRIMARY KEY (id),\n\tFOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE\n)",
			`CREATE TABLE posts (
	id INTEGER NOT NULL IDENTITY,
	user_id INTEGER NOT NULL,
	title VARCHAR(200) NOT NULL,
	[order] INTEGER NULL,
	[viewCount] INTEGER NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
)`,
		},
	},
	"create_table_if_not_exists": {
		want: four{
			`CREATE TABLE IF NOT EXISTS tags (
	id INTEGER NOT NULL,
	label VARCHAR(30) NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (label)
)`,
			`CREATE TABLE IF NOT EXISTS tags (
	id SERIAL NOT NULL,
	label VARCHAR(30) NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (label)
)`,
			`CREATE TABLE IF NOT EXISTS tags (
	id INTEGER NOT NULL AUTO_INCREMENT,
	label VARCHAR(30) NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (label)
)`,
			"ERROR: compiling ddl for mssql: CREATE TABLE IF NOT EXISTS is not supported by the mssql dialect: use CreateAll with checkfirst",
		},
	},
	"drop_table": {
		want: same("DROP TABLE users"),
	},
	"drop_table_if_exists": {
		want: same("DROP TABLE IF EXISTS users"),
	},
	"create_index": {
		want: same("CREATE INDEX ix_users_org ON users (org_id)"),
	},
	"drop_index": {
		want: four{
			"DROP INDEX ix_users_org",
			"DROP INDEX ix_users_org",
			"DROP INDEX ix_users_org ON users",
			"DROP INDEX ix_users_org ON users",
		},
	},
	"add_foreign_key": {
		want: four{
			"ERROR: compiling ddl for sqlite: ALTER TABLE … ADD CONSTRAINT is not supported by the sqlite dialect: SQLite cannot add a constraint to an existing table; declare the foreign key in CREATE TABLE",
			"ALTER TABLE posts ADD CONSTRAINT fk_posts_user_id FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE",
			"ALTER TABLE posts ADD CONSTRAINT fk_posts_user_id FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE",
			"ALTER TABLE posts ADD CONSTRAINT fk_posts_user_id FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE",
		},
	},
	"drop_foreign_key": {
		want: four{
			"ERROR: compiling ddl for sqlite: ALTER TABLE … DROP CONSTRAINT is not supported by the sqlite dialect: SQLite cannot drop a constraint from an existing table",
			"ALTER TABLE posts DROP CONSTRAINT fk_posts_user_id",
			"ALTER TABLE posts DROP FOREIGN KEY fk_posts_user_id",
			"ALTER TABLE posts DROP CONSTRAINT fk_posts_user_id",
		},
	},
	"literals_and_label_order": {
		want: four{
			"SELECT ? + ? AS three, ? || tags.label AS lx FROM tags ORDER BY three DESC, lx",
			"SELECT CAST($1 AS INTEGER) + CAST($2 AS INTEGER) AS three, CAST($3 AS VARCHAR) || tags.label AS lx FROM tags ORDER BY three DESC, lx",
			"SELECT ? + ? AS three, concat(?, tags.label) AS lx FROM tags ORDER BY three DESC, lx",
			"SELECT @p1 + @p2 AS three, @p3 + tags.label AS lx FROM tags ORDER BY three DESC, lx",
		},
		inline: four{
			"SELECT 1 + 2 AS three, 'x' || tags.label AS lx FROM tags ORDER BY three DESC, lx",
			"SELECT 1 + 2 AS three, 'x' || tags.label AS lx FROM tags ORDER BY three DESC, lx",
			"SELECT 1 + 2 AS three, concat('x', tags.label) AS lx FROM tags ORDER BY three DESC, lx",
			"SELECT 1 + 2 AS three, 'x' + tags.label AS lx FROM tags ORDER BY three DESC, lx",
		},
	},
	"nested_and_or": {
		want: four{
			"SELECT users.id FROM users WHERE users.id = ? AND users.id = ? AND (users.id = ? OR users.id = ?) AND (users.id = ? OR users.id = ? AND users.id = ?) AND (users.id = ? OR users.id = ?)",
			"SELECT users.id FROM users WHERE users.id = $1 AND users.id = $2 AND (users.id = $3 OR users.id = $4) AND (users.id = $5 OR users.id = $6 AND users.id = $7) AND (users.id = $8 OR users.id = $9)",
			"SELECT users.id FROM users WHERE users.id = ? AND users.id = ? AND (users.id = ? OR users.id = ?) AND (users.id = ? OR users.id = ? AND users.id = ?) AND (users.id = ? OR users.id = ?)",
			"SELECT users.id FROM users WHERE users.id = @p1 AND users.id = @p2 AND (users.id = @p3 OR users.id = @p4) AND (users.id = @p5 OR users.id = @p6 AND users.id = @p7) AND (users.id = @p8 OR users.id = @p9)",
		},
		inline: same("SELECT users.id FROM users WHERE users.id = 1 AND users.id = 2 AND (users.id = 3 OR users.id = 4) AND (users.id = 5 OR users.id = 6 AND users.id = 7) AND (users.id = 8 OR users.id = 9)"),
	},
}
