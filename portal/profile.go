package portal

import (
	"fmt"
	"slices"
	"time"
)

// Qualifications an enterprise may hold, as policies name them.
var Qualifications = []string{"高新技术企业", "专精特新中小企业", "专精特新“小巨人”", "科技型中小企业", "创新型中小企业", "规上企业"}

// TaxRatings are the tax credit ratings, best first.
var TaxRatings = []string{"A", "B", "M", "C", "D"}

// EnterpriseProfile is what the district knows of an enterprise beyond its
// registration (一企一档): the figures policies set conditions on.
type EnterpriseProfile struct {
	Employees      *int       `json:"employees,omitempty" bson:"employees,omitempty"`
	Revenue        *float64   `json:"revenue,omitempty" bson:"revenue,omitempty"` // annual revenue, 10k yuan (万元)
	Assets         *float64   `json:"assets,omitempty" bson:"assets,omitempty"`   // total assets, 10k yuan (万元)
	Founded        *time.Time `json:"founded,omitempty" bson:"founded,omitempty"`
	TaxRating      string     `json:"tax_rating,omitempty" bson:"tax_rating,omitempty"`
	Qualifications []string   `json:"qualifications,omitempty" bson:"qualifications,omitempty"`
	// SizeClass is computed by Classify from the industry and figures.
	SizeClass SizeClass `json:"size_class,omitempty" bson:"size_class,omitempty"`
}

// Validate checks the profile's figures.
func (p *EnterpriseProfile) Validate(now time.Time) error {
	f := map[string]string{}
	if p.Employees != nil && (*p.Employees < 0 || *p.Employees > 1_000_000) {
		f["employees"] = "从业人员应在 0 到 100 万之间"
	}
	if p.Revenue != nil && (*p.Revenue < 0 || *p.Revenue > 1e9) {
		f["revenue"] = "营业收入（万元）应为非负数"
	}
	if p.Assets != nil && (*p.Assets < 0 || *p.Assets > 1e9) {
		f["assets"] = "资产总额（万元）应为非负数"
	}
	if p.Founded != nil && (p.Founded.After(now) || p.Founded.Year() < 1949) {
		f["founded"] = "成立日期应在 1949 年至今之间"
	}
	if p.TaxRating != "" && !slices.Contains(TaxRatings, p.TaxRating) {
		f["tax_rating"] = "纳税信用等级应为 A、B、M、C 或 D"
	}
	for _, q := range p.Qualifications {
		if !slices.Contains(Qualifications, q) {
			f["qualifications"] = fmt.Sprintf("未知的资质：%s", q)
		}
	}
	if len(f) > 0 {
		return Invalid("企业档案有误", f)
	}
	return nil
}

// Classify sets the profile's size class from the enterprise's industry;
// it stays empty while a figure the industry's rule needs is missing.
func (e *Enterprise) Classify() {
	e.Profile.SizeClass, _ = ComputeSizeClass(e.IndustrySection, e.IndustryDivision, e.Profile.Employees, e.Profile.Revenue, e.Profile.Assets)
}
