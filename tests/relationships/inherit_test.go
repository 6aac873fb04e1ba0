package relationships

import (
	"fmt"
	"strings"

	"ormlab/orm"
)

// ---- Notification → EmailNotification, SMSNotification, PushNotification ----

type Notification struct {
	ID      int    `orm:"primary_key"`
	Type    string `orm:"size:20"`
	Message string `orm:"size:200"`
}

type EmailNotification struct {
	Notification
	Email string `orm:"size:100,not_null"`
}

type SMSNotification struct {
	Notification
	Phone string `orm:"size:20,not_null"`
}

type PushNotification struct {
	Notification
	DeviceToken string `orm:"size:64,not_null"`
}

func caseNotifications(v *env) {
	t := v.t
	if _, err := v.base.Map(Notification{}, "notifications", orm.PolymorphicOn("Type"), orm.PolymorphicIdentity("notification")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		model any
		table string
		id    string
	}{{EmailNotification{}, "email_notifications", "email"}, {SMSNotification{}, "sms_notifications", "sms"}, {PushNotification{}, "push_notifications", "push"}} {
		if _, err := v.base.MapInherited(c.model, c.table, Notification{}, orm.PolymorphicIdentity(c.id)); err != nil {
			t.Fatal(err)
		}
	}
	v.setup()
	s := v.session()
	email := &EmailNotification{Email: "ann@example.com"}
	email.Message = "welcome"
	sms := &SMSNotification{Phone: "555"}
	sms.Message = "code 1234"
	plain := &Notification{Message: "system"}
	push := &PushNotification{DeviceToken: "tok"}
	push.Message = "ping"
	st := v.count(func() {
		must(t, s.AddAll(email, sms, plain, push))
		must(t, s.Commit())
	})
	// base row first, then the subclass row
	joined := strings.Join(st, "\n")
	if strings.Index(joined, "INSERT INTO notifications") > strings.Index(joined, "INSERT INTO email_notifications") {
		t.Fatalf("base table first:\n%s", joined)
	}
	if email.ID == 0 || email.Type != "email" || sms.Type != "sms" || plain.Type != "notification" {
		t.Fatalf("keys/discriminators: %+v %+v %+v", email, sms, plain)
	}
	if got := v.count64(fmt.Sprintf("SELECT count(*) FROM email_notifications WHERE id = %d", email.ID)); got != 1 {
		t.Fatal("subclass row")
	}
	// (the plain Notification's row is written first: the base table's
	// own objects precede the subclasses' rows)
	// polymorphic query: each row as its own type, one statement
	s2 := v.session()
	var items []any
	st = v.count(func() { must(t, s2.QueryPolymorphic(&items, Notification{})) })
	if len(st) != 1 || len(items) != 4 {
		t.Fatalf("polymorphic: %d statements, %d items", len(st), len(items))
	}
	var kinds []string
	for _, it := range items {
		switch x := it.(type) {
		case *EmailNotification:
			kinds = append(kinds, "email:"+x.Email+":"+x.Message)
		case *SMSNotification:
			kinds = append(kinds, "sms:"+x.Phone+":"+x.Message)
		case *PushNotification:
			kinds = append(kinds, "push:"+x.DeviceToken)
		case *Notification:
			kinds = append(kinds, "base:"+x.Message)
		}
	}
	if strings.Join(kinds, ",") != "base:system,email:ann@example.com:welcome,sms:555:code 1234,push:tok" {
		t.Fatalf("kinds %v", kinds)
	}
	v.golden(v.last("LEFT OUTER JOIN email_notifications"), map[string]string{
		"sqlite": "SELECT notifications.id, notifications.type, notifications.message, email_notifications.id AS id_1, email_notifications.email, push_notifications.id AS id_2, push_notifications.device_token, sms_notifications.id AS id_3, sms_notifications.phone FROM notifications LEFT OUTER JOIN email_notifications ON email_notifications.id = notifications.id LEFT OUTER JOIN push_notifications ON push_notifications.id = notifications.id LEFT OUTER JOIN sms_notifications ON sms_notifications.id = notifications.id ORDER BY notifications.id",
	})
	// a subclass query joins its base; update base and subclass fields
	var emails []*EmailNotification
	must(t, s2.Query(&emails).All())
	if len(emails) != 1 || emails[0].Message != "welcome" || emails[0] != items[1] {
		t.Fatalf("subclass query: %+v", emails)
	}
	emails[0].Message = "welcome back"
	emails[0].Email = "ann@example.org"
	must(t, s2.Commit())
	if got := str(v.scalar(fmt.Sprintf("SELECT message FROM notifications WHERE id = %d", email.ID))); got != "welcome back" {
		t.Fatalf("base update: %s", got)
	}
	if got := str(v.scalar(fmt.Sprintf("SELECT email FROM email_notifications WHERE id = %d", email.ID))); got != "ann@example.org" {
		t.Fatalf("subclass update: %s", got)
	}
	// delete: subclass row, then base row
	st = v.count(func() {
		must(t, s2.Delete(emails[0]))
		must(t, s2.Commit())
	})
	joined = strings.Join(st, "\n")
	if i, j := strings.Index(joined, "DELETE FROM email_notifications"), strings.Index(joined, "DELETE FROM notifications"); i < 0 || j < i {
		t.Fatalf("delete order:\n%s", joined)
	}
	if n := v.count64("SELECT count(*) FROM notifications"); n != 3 {
		t.Fatalf("notifications left: %d", n)
	}
}
