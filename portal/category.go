package portal

// all request types, for categories that take every kind of request.
var allTypes = []RequestType{TypeConsultation, TypeHelp, TypeComplaint, TypeSuggestion}

// DefaultCategories is the taxonomy a new installation starts with; admins
// edit it afterwards.
func DefaultCategories() []*Category {
	c := func(order int, code, name string, types ...RequestType) *Category {
		return &Category{Code: code, Name: name, Types: types, Order: order, Active: true}
	}
	return []*Category{
		c(10, "policy", "政策咨询", TypeConsultation),
		c(20, "finance", "融资信贷", TypeConsultation, TypeHelp),
		c(30, "talent", "人才用工", TypeConsultation, TypeHelp, TypeSuggestion),
		c(40, "land", "用地厂房", TypeConsultation, TypeHelp),
		c(50, "approval", "审批办事", TypeConsultation, TypeHelp, TypeComplaint),
		c(60, "traffic", "交通出行", TypeHelp, TypeComplaint, TypeSuggestion),
		c(70, "enforcement", "执法检查", TypeConsultation, TypeHelp, TypeComplaint),
		c(80, "dispute", "矛盾纠纷", TypeHelp, TypeComplaint),
		c(90, "park", "园区配套", TypeHelp, TypeComplaint, TypeSuggestion),
		c(100, "other", "其他", allTypes...),
	}
}
