package participation_test

import (
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

type reportData struct {
	tree     *participation.OrganisationTree
	projects []participation.Project
	acts     []participation.Activity
	recs     []participation.ParticipationRecord
}

// largeReportData builds 10,000 projects in 100 organisations (half of them units), one
// activity per phase in each project, and 1,000,000 attended records of 100,000 people,
// a tenth of them officials. Generated data, deterministic apart from the IDs.
func largeReportData(b *testing.B) reportData {
	b.Helper()
	const orgs, projects, people, records = 100, 10_000, 100_000, 1_000_000
	var d reportData
	var all []participation.Organisation
	for i := range orgs {
		o := participation.Organisation{ID: orgID(b), Sector: participation.Sectors()[i%3]}
		if i%2 == 1 {
			o.Parent, o.Sector = all[i-1].ID, ""
		}
		all = append(all, o)
	}
	tree, err := participation.NewOrganisationTree(all)
	if err != nil {
		b.Fatal(err)
	}
	d.tree = tree
	who := make([]osallisuus.ParticipantID, people)
	for i := range who {
		who[i] = pid(b)
	}
	plan := osallisuus.NewDate(2026, 3, 15)
	for i := range projects {
		p := participation.Project{ID: projID(b), Organisation: all[i%orgs].ID, PlanDate: plan}
		d.projects = append(d.projects, p)
		for j, ph := range participation.Phases() {
			a := participation.Activity{ID: newActivity(b, 0).ID, Organisation: p.Organisation, Project: p.ID,
				Phase: ph, Level: participation.Level([]string{"inform", "consult", "involve", "collaborate", "co-decide"}[(i+j)%5]),
				Start: plan.AddDays(j*30 - 10), End: plan.AddDays(j*30 - 10)}
			d.acts = append(d.acts, a)
		}
	}
	roles := []participation.Role{participation.RoleCustomer, participation.RoleRelative, participation.RoleExpert,
		participation.RoleCouncilMember, participation.RoleNGO, participation.RolePotentialCustomer,
		participation.RoleCustomer, participation.RoleCustomer, participation.RoleRelative, participation.RoleOfficial}
	d.recs = make([]participation.ParticipationRecord, records)
	for i := range d.recs {
		a := &d.acts[(i*7919)%len(d.acts)]
		d.recs[i] = participation.ParticipationRecord{Activity: a.ID, Project: a.Project, Seq: int64(i + 1),
			Who: who[(i*104729)%people], Role: roles[i%len(roles)], Status: participation.StatusAttended, On: a.Start}
	}
	return d
}

func BenchmarkEarlyInvolvement(b *testing.B) {
	d := largeReportData(b)
	b.ReportAllocs()
	for b.Loop() {
		participation.EarlyInvolvement(d.tree, d.projects, d.acts, d.recs, participation.DefaultSuppression)
	}
}

func BenchmarkCoverage(b *testing.B) {
	d := largeReportData(b)
	b.ReportAllocs()
	for b.Loop() {
		participation.Coverage(d.projects, d.acts, d.recs, participation.DefaultSuppression)
	}
}
