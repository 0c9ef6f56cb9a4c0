package participation_test

import (
	"errors"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

func asRuleErr(err error) (*osallisuus.RuleError, bool) {
	return errors.AsType[*osallisuus.RuleError](err)
}

func asNeedErr(err error) (*participation.NeedDecisionsError, bool) {
	return errors.AsType[*participation.NeedDecisionsError](err)
}

func asValidationErr(err error) (*osallisuus.ValidationError, bool) {
	return errors.AsType[*osallisuus.ValidationError](err)
}
