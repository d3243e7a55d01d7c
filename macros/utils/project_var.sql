{#- The project's vars, each checked in one place (docs/decisions.md#project-vars). Defaults live in
    dbt_project.yml; the rule of each var lives here. Models and macros read a var through
    project_var(name), which checks it and returns it normalised (lists of days or months sorted);
    check_project_vars(), an on-run-start hook, checks them all before any model runs, so a bad value
    stops `dbt build` with one message even when no selected model reads it.

    Kinds: whole (a whole number >= min), whole_list (a non-empty list of distinct whole numbers >= 1,
    sorted; a single number is a list of one), increasing (whole numbers >= min, strictly increasing),
    number (between min and max; min_open / max_open exclude the bound), share_or_null (null, or
    a number in (0, 1]), bool, choice (one of `values`). as_of_date has its own macro (as_of_date.sql). -#}
{% macro project_var_rules() -%}
    {{ return({
        'ltv_window_months': {'kind': 'whole_list', 'hint': 'months, e.g. [3, 6, 12]'},
        'rollout_min_contacts_per_arm': {'kind': 'whole', 'min': 2},
        'campaign_discount_is_cost': {'kind': 'bool'},
        'test_plan_target_lift': {'kind': 'number', 'min': 0, 'min_open': true, 'hint': 'relative lift, 0.20 = +20%'},
        'test_plan_alpha': {'kind': 'number', 'min': 0, 'max': 1, 'min_open': true, 'max_open': true},
        'test_plan_power': {'kind': 'number', 'min': 0, 'max': 1, 'min_open': true, 'max_open': true},
        'cuped_pre_period_days': {'kind': 'whole', 'min': 1, 'hint': 'days of revenue before the campaign start, e.g. 365'},
        'use_cuped': {'kind': 'bool'},
        'pre_period_imbalance_alpha': {'kind': 'number', 'min': 0, 'max': 1, 'min_open': true, 'max_open': true, 'hint': 'e.g. 0.001'},
        'revenue_cap_percentile': {'kind': 'number', 'min': 0.5, 'max': 1, 'max_open': true, 'nullable': true, 'hint': 'e.g. 0.999 caps at the 99.9th percentile; null = no capping'},
        'rollout_multiple_testing': {'kind': 'choice', 'values': ['holm', 'bh', 'none']},
        'clv_horizon_days': {'kind': 'whole_list', 'must_include': 90, 'hint': 'days, e.g. [30, 90, 365]; 90 is the propensity horizon'},
        'clv_backtest_holdout_days': {'kind': 'whole', 'min': 1},
        'clv_annual_discount_rate': {'kind': 'number', 'min': 0, 'max': 1, 'max_open': true, 'hint': '0.10 = 10% a year'},
        'clv_margin_rate': {'kind': 'share_or_null'},
        'latency_heavy_min_purchases': {'kind': 'whole', 'min': 3},
        'latency_moderate_min_purchases': {'kind': 'whole', 'min': 2},
        'latency_max_purchase_number': {'kind': 'whole', 'min': 1},
        'latency_trip_wire_multiplier': {'kind': 'number', 'min': 0, 'min_open': true},
        'latency_trip_wire_percentile': {'kind': 'number', 'min': 0, 'max': 1, 'min_open': true, 'max_open': true, 'nullable': true},
        'latency_lapsed_multiplier': {'kind': 'number', 'min': 1},
        'latency_min_gaps_per_trip_wire': {'kind': 'whole', 'min': 1},
        'lifecycle_recency_band_days': {'kind': 'increasing', 'min': 0},
        'lifecycle_frequency_band_orders': {'kind': 'increasing', 'min': 1},
        'recent_repeater_max_days': {'kind': 'whole', 'min': 0},
        'segment_history_months': {'kind': 'whole', 'min': 1, 'hint': 'complete months before the as-of month'},
        'potential_high_quantile': {'kind': 'number', 'min': 0, 'max': 1, 'min_open': true, 'hint': '0.5 = the high tier median'},
        'affinity_min_support': {'kind': 'number', 'min': 0, 'max': 1, 'min_open': true, 'hint': 'share of baskets or customers with both categories, e.g. 0.005'},
        'affinity_window_days': {'kind': 'whole', 'min': 1, 'hint': 'days after buying A in which buying B counts, e.g. 90'},
        'affinity_max_q_value': {'kind': 'number', 'min': 0, 'max': 1, 'min_open': true, 'max_open': true, 'hint': 'Benjamini-Hochberg q-value, e.g. 0.05'},
        'advocate_window_days': {'kind': 'whole', 'min': 1, 'hint': 'days of mentions before the as-of date, e.g. 365'},
    }) }}
{%- endmacro %}

{#- The value of project var `name`, checked against its rule; a compiler error names the var, the rule
    and the value. -#}
{% macro project_var(name) -%}
    {%- set rules = drilldown.project_var_rules() -%}
    {%- if name not in rules -%}
        {{ exceptions.raise_compiler_error("drilldown.project_var: unknown var '" ~ name ~ "' (known: " ~ rules.keys() | list | sort | join(', ') ~ ")") }}
    {%- endif -%}
    {%- set rule = rules[name] -%}
    {%- set value = var(name) -%}
    {%- set hint = ' (' ~ rule.hint ~ ')' if rule.hint else '' -%}
    {%- if rule.kind == 'choice' -%}
        {%- if value is not string or value | trim | lower not in rule['values'] -%}
            {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must be one of " ~ rule['values'] | join(', ') ~ ", got " ~ value) }}
        {%- endif -%}
        {{ return(value | trim | lower) }}
    {%- elif rule.kind == 'bool' -%}
        {%- if value not in [true, false] -%}
            {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must be true or false, got " ~ value) }}
        {%- endif -%}
        {{ return(value) }}
    {%- elif rule.kind == 'share_or_null' or (rule.nullable and (value is none or (value is string and value | trim | lower in ['', 'none', 'null']))) -%}
        {%- if value is none or (value is string and value | trim | lower in ['', 'none', 'null']) -%}
            {{ return(none) }}
        {%- endif -%}
        {%- if rule.kind == 'share_or_null' and (value is not number or value is boolean or value <= 0 or value > 1) -%}
            {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must be null or a share > 0 and <= 1, got " ~ value) }}
        {%- endif -%}
    {%- endif -%}
    {%- if rule.kind == 'whole' -%}
        {%- if value is not number or value is boolean or value != value | int or value < rule.min -%}
            {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must be a whole number >= " ~ rule.min ~ hint ~ ", got " ~ value) }}
        {%- endif -%}
        {{ return(value | int) }}
    {%- elif rule.kind == 'number' -%}
        {%- set below = rule.min is defined and (value < rule.min or (rule.min_open and value == rule.min)) if value is number and value is not boolean else true -%}
        {%- set above = rule.max is defined and (value > rule.max or (rule.max_open and value == rule.max)) if value is number and value is not boolean else true -%}
        {%- if below or above -%}
            {%- set lower = ('> ' if rule.min_open else '>= ') ~ rule.min if rule.min is defined else '' -%}
            {%- set upper = ('< ' if rule.max_open else '<= ') ~ rule.max if rule.max is defined else '' -%}
            {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must be " ~ ('null or ' if rule.nullable else '') ~ "a number " ~ [lower, upper] | select | join(' and ') ~ hint ~ ", got " ~ value) }}
        {%- endif -%}
        {{ return(value) }}
    {%- elif rule.kind in ['whole_list', 'increasing'] -%}
        {%- set values = [value] if value is number and value is not boolean else value -%}
        {%- set lowest = rule.min if rule.kind == 'increasing' else 1 -%}
        {%- if values is string or values is mapping or values is not iterable or values | length == 0 -%}
            {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must be a non-empty list of whole numbers >= " ~ lowest ~ hint ~ ", got " ~ value) }}
        {%- endif -%}
        {%- set ns = namespace(previous=none) -%}
        {%- for item in values -%}
            {%- if item is not number or item is boolean or item != item | int or item < lowest -%}
                {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must hold whole numbers >= " ~ lowest ~ hint ~ ", got " ~ item) }}
            {%- endif -%}
            {%- if rule.kind == 'increasing' and ns.previous is not none and item <= ns.previous -%}
                {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must be strictly increasing, got " ~ value) }}
            {%- endif -%}
            {%- set ns.previous = item -%}
        {%- endfor -%}
        {%- if values | unique | list | length != values | length -%}
            {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " has duplicates: " ~ value) }}
        {%- endif -%}
        {%- set whole = values | map('int') | sort -%}
        {%- if rule.must_include and rule.must_include not in whole -%}
            {{ exceptions.raise_compiler_error("drilldown: var " ~ name ~ " must include " ~ rule.must_include ~ hint ~ ", got " ~ value) }}
        {%- endif -%}
        {{ return(whole) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- on-run-start: every var of project_var_rules() checked, and the rules between vars. -#}
{% macro check_project_vars() -%}
    {%- for name in drilldown.project_var_rules() -%}
        {%- do drilldown.project_var(name) -%}
    {%- endfor -%}
    {%- if drilldown.project_var('latency_heavy_min_purchases') <= drilldown.project_var('latency_moderate_min_purchases') -%}
        {{ exceptions.raise_compiler_error("drilldown: var latency_heavy_min_purchases must be greater than latency_moderate_min_purchases, got " ~ var('latency_heavy_min_purchases') ~ " and " ~ var('latency_moderate_min_purchases')) }}
    {%- endif -%}
    select 1 as project_vars_checked
{%- endmacro %}
