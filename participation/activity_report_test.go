package participation_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

type reportWorld struct {
	county, unit, ngo participation.Organisation
	tree              *participation.OrganisationTree
	early, late       participation.Project
	acts              []participation.Activity
	recs              []participation.ParticipationRecord
}

func orgID(t testing.TB) participation.OrganisationID {
	id, err := participation.NewOrganisationID()
	require.NoError(t, err)
	return id
}

func projID(t testing.TB) participation.ProjectID {
	id, err := participation.NewProjectID()
	require.NoError(t, err)
	return id
}

func attended(t *testing.T, a participation.Activity, role participation.Role, on osallisuus.Date, who ...osallisuus.ParticipantID) []participation.ParticipationRecord {
	var out []participation.ParticipationRecord
	for i, w := range who {
		out = append(out, participation.ParticipationRecord{Activity: a.ID, Project: a.Project, Seq: int64(i + 1), Who: w,
			Role: role, Status: participation.StatusAttended, On: on})
	}
	return out
}

// newReportWorld: a county with a unit and an NGO; the unit's project involved customers
// in planning on its plan date, the NGO's project only after it.
func newReportWorld(t *testing.T) *reportWorld {
	w := &reportWorld{}
	w.county = participation.Organisation{ID: orgID(t), Sector: participation.SectorPublic}
	w.unit = participation.Organisation{ID: orgID(t), Parent: w.county.ID}
	w.ngo = participation.Organisation{ID: orgID(t), Sector: participation.SectorThird}
	tree, err := participation.NewOrganisationTree([]participation.Organisation{w.county, w.unit, w.ngo})
	require.NoError(t, err)
	w.tree = tree
	w.early = participation.Project{ID: projID(t), Organisation: w.unit.ID, PlanDate: date(2026, 3, 15)}
	w.late = participation.Project{ID: projID(t), Organisation: w.ngo.ID, PlanDate: date(2026, 2, 10)}
	ws := newActivity(t, 0)
	ws.Organisation, ws.Project, ws.Start, ws.End = w.county.ID, w.early.ID, date(2026, 3, 15), date(2026, 3, 15)
	cd := newActivity(t, 0)
	cd.Organisation, cd.Project, cd.Start, cd.End = w.ngo.ID, w.late.ID, date(2026, 2, 1), date(2026, 3, 31)
	cd.Level = participation.LevelCoDecide
	w.acts = []participation.Activity{ws, cd}
	w.recs = append(w.recs, attended(t, ws, participation.RoleCustomer, date(2026, 3, 15), pid(t))...)
	w.recs = append(w.recs, attended(t, ws, participation.RoleOfficial, date(2026, 3, 15), pid(t))...)
	w.recs = append(w.recs, attended(t, cd, participation.RoleRelative, date(2026, 2, 11), pid(t))...)
	w.recs = append(w.recs, attended(t, cd, participation.RoleNGO, date(2026, 2, 5), pid(t))...)
	return w
}

func TestEarlyInvolvementWorkedExample(t *testing.T) {
	w := newReportWorld(t)
	rep := participation.EarlyInvolvement(w.tree, []participation.Project{w.early, w.late}, w.acts, w.recs, 5)
	require.Len(t, rep.Projects, 2)
	for _, p := range rep.Projects {
		if p.Project == w.early.ID {
			assert.True(t, p.Early, "a customer on the plan date counts")
			assert.Equal(t, "<5", p.People.String())
		} else {
			assert.False(t, p.Early, "a relative after the plan date and an NGO representative before it do not")
			assert.Equal(t, "0", p.People.String())
		}
	}
	for _, g := range rep.Organisations {
		share, _ := g.Share.Percent()
		switch g.Organisation {
		case w.county.ID:
			assert.Equal(t, 1, g.Projects, "the county row includes its unit's project")
			assert.Equal(t, 100.0, share)
		case w.ngo.ID:
			assert.Equal(t, 0, g.Early)
		}
	}
	require.Len(t, rep.Sectors, 3)
	assert.Equal(t, participation.SectorPrivate, rep.Sectors[1].Sector)
	_, defined := rep.Sectors[1].Share.Percent()
	assert.False(t, defined, "a sector without projects has no share")
	assert.Equal(t, 1, rep.Sectors[0].Early, "the unit counts in its root's public sector")
	share, _ := rep.Total.Share.Percent()
	assert.Equal(t, 50.0, share)
}

func TestEarlyInvolvementCountsAPersonOncePerGroup(t *testing.T) {
	w := newReportWorld(t)
	people := []osallisuus.ParticipantID{pid(t), pid(t), pid(t), pid(t), pid(t)}
	second := w.acts[0]
	second.ID = newActivity(t, 0).ID
	recs := attended(t, w.acts[0], participation.RoleCustomer, date(2026, 3, 1), people[:3]...)
	recs = append(recs, attended(t, second, participation.RoleExpert, date(2026, 3, 2), people[2:]...)...)
	rep := participation.EarlyInvolvement(w.tree, []participation.Project{w.early}, append(w.acts, second), recs, 5)
	assert.Equal(t, "5", rep.Projects[0].People.String(), "five distinct people over six records are shown")
	assert.Equal(t, "5", rep.Total.People.String())
}

func TestCoverageOfficialsNeitherCoverNorRaise(t *testing.T) {
	w := newReportWorld(t)
	board := w.acts[0]
	board.ID, board.Level = newActivity(t, 0).ID, participation.LevelCoDecide
	recs := append(w.recs, attended(t, board, participation.RoleOfficial, date(2026, 3, 15), pid(t))...)
	rep := participation.Coverage([]participation.Project{w.early}, append(w.acts, board), recs, 1)[0]
	planning := rep.Phases[0]
	assert.True(t, planning.Covered)
	assert.Equal(t, participation.LevelInvolve, planning.Level, "the officials-only board does not raise the level")
	assert.Equal(t, 2, planning.Activities)
	assert.Equal(t, "1", planning.People.String(), "officials are not participants")
	assert.False(t, rep.Phases[1].Covered)
	assert.Equal(t, participation.LevelUnspecified, rep.Phases[1].Level)
	b, err := rep.Phases[1].MarshalJSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"phase":"production","covered":false,"level":null,"activities":0,"people":0}`, string(b))
}

func TestNoOutcome(t *testing.T) {
	w := newReportWorld(t)
	ws := w.acts[0] // ended 15 March, a customer took part
	tests := []struct {
		name     string
		now      string
		days     int
		outcomes []participation.Outcome
		overdue  int // 0: not listed
	}{
		{"on the due day it is not yet listed", "2026-04-14T23:59:00+03:00", 30, nil, 0},
		{"the day after the due day it is one day overdue", "2026-04-15T00:30:00+03:00", 30, nil, 1},
		{"zero days lists it the day after the last day", "2026-03-16T08:00:00+02:00", 0, nil, 1},
		{"an outcome takes it off the list", "2026-06-01T08:00:00+03:00", 30, []participation.Outcome{{Activity: ws.ID}}, 0},
		{"a huge number of days never comes due", "2026-06-01T08:00:00+03:00", math.MaxInt, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := participation.NoOutcome(w.acts[:1], w.recs, tt.outcomes, tt.days, at(t, tt.now))
			require.NoError(t, err)
			if tt.overdue == 0 {
				assert.Empty(t, list)
				return
			}
			require.Len(t, list, 1)
			assert.Equal(t, tt.overdue, list[0].OverdueDays)
			assert.Equal(t, ws.End.AddDays(tt.days), list[0].Due)
		})
	}
	_, err := participation.NoOutcome(w.acts, w.recs, nil, -1, at(t, "2026-06-01T08:00:00+03:00"))
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"days"}, problemFields(t, err))
}

func TestNoOutcomeCountsDaysOverCenturies(t *testing.T) {
	a := newActivity(t, 0)
	a.Start, a.End = date(1700, 1, 1), date(1700, 1, 1)
	recs := attended(t, a, participation.RoleCustomer, a.Start, pid(t))
	list, err := participation.NoOutcome([]participation.Activity{a}, recs, nil, 0, at(t, "2026-01-01T12:00:00+02:00"))
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, 119069, list[0].OverdueDays, "326 years of 365 days and 79 leap days")
}

func TestOrganisationTreeRefusesBadParents(t *testing.T) {
	a := participation.Organisation{ID: orgID(t), Sector: participation.SectorPublic}
	b := participation.Organisation{ID: orgID(t), Parent: a.ID, Sector: participation.SectorPrivate}
	c := participation.Organisation{ID: orgID(t), Parent: orgID(t)}
	_, err := participation.NewOrganisationTree([]participation.Organisation{a, b, c})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"organisations[1].sector", "organisations[2].parent"}, problemFields(t, err))

	x := participation.Organisation{ID: orgID(t), Sector: participation.SectorThird}
	y := participation.Organisation{ID: orgID(t), Parent: x.ID}
	x.Parent = y.ID
	_, err = participation.NewOrganisationTree([]participation.Organisation{x, y})
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "a cycle of parents")
}
