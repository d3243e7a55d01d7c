{#- A statistic computed in steps, each naming the values the next one reads, as one SQL expression.
    steps: a list of {'name': alias, 'columns': [(name, expression), ...], 'where': condition or none}, first
    step first; a step's expressions read the previous step's names (a step passes a name on by listing
    (name, name)); 'where' is a condition on the step's own names: when it is false or null the result is
    null. result: the expression over the last step's names.
    Each step is computed once, whatever the number of times the next one reads its names (the statistics
    reuse them dozens of times; written out, the expressions grew exponentially): a scalar subquery over
    nested derived tables, each fenced by subquery_barrier() (Postgres), or on Spark nested lambdas (see
    spark__stats_steps). docs/decisions.md#statistics-in-sql -#}
{% macro stats_steps(steps, result) -%}
    {%- if steps is string or steps is not iterable or steps | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown.stats_steps: steps must be a non-empty list of steps") }}
    {%- endif -%}
    {%- for step in steps -%}
        {%- if step is not mapping or not step.get('name') or not step.get('columns') -%}
            {{ exceptions.raise_compiler_error("drilldown.stats_steps: every step needs a name and columns, got " ~ step) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('stats_steps', 'drilldown')(steps, result)) }}
{%- endmacro %}

{% macro default__stats_steps(steps, result) -%}
    {%- set ns = namespace(sql='') -%}
    {%- for step in steps -%}
        {%- set columns = [] -%}
        {%- for name, expression in step['columns'] -%}
            {%- do columns.append(name if expression == name else expression ~ ' as ' ~ name) -%}
        {%- endfor -%}
        {%- set source = '' -%}
        {%- if not loop.first -%}
            {%- set previous = steps[loop.index0 - 1] -%}
            {%- set source = ' from (' ~ ns.sql ~ ') as ' ~ previous['name'] ~ (' where ' ~ previous['where'] if previous.get('where') else '') -%}
        {%- endif -%}
        {%- set ns.sql = 'select ' ~ columns | join(', ') ~ source ~ ' ' ~ drilldown.subquery_barrier() -%}
    {%- endfor -%}
    {%- set last = steps[-1] -%}
    (select {{ result }} from ({{ ns.sql }}) as {{ last['name'] }}{{ ' where ' ~ last['where'] if last.get('where') else '' }})
{%- endmacro %}

{#- Spark inlines a scalar subquery over one row into its caller, writing every name out again (or, with that
    off, joins a copy of the caller's whole plan per subquery), and the nested statistics grew the plan until
    the optimizer ran out of memory. A lambda variable is bound once and never substituted: each step is one
    struct bound to a lambda variable (element_at(transform(array(named_struct(...)), s -> rest), 1) is `rest`
    with s computed once), and the next step reads its names as s.name. One lambda per step, not per name: the
    analyzer resolves nested lambdas one level per pass. -#}
{% macro spark__stats_steps(steps, result) -%}
    {%- set ns = namespace(sql='', closing='', previous=none) -%}
    {%- for step in steps -%}
        {%- set variable = 'stats_' ~ step['name'] -%}
        {%- set fields = [] -%}
        {%- for name, expression in step['columns'] -%}
            {%- do fields.append("'" ~ name ~ "', " ~ drilldown.stats_qualified(expression, ns.previous)) -%}
        {%- endfor -%}
        {%- set ns.sql = ns.sql ~ 'element_at(transform(array(named_struct(' ~ fields | join(', ') ~ ')), ' ~ variable ~ ' -> ' -%}
        {%- set ns.closing = '), 1)' ~ ns.closing -%}
        {%- if step.get('where') -%}
            {%- set ns.sql = ns.sql ~ 'case when ' ~ drilldown.stats_qualified(step['where'], step) ~ ' then ' -%}
            {%- set ns.closing = ' end' ~ ns.closing -%}
        {%- endif -%}
        {%- set ns.previous = step -%}
    {%- endfor -%}
    ({{ ns.sql }}{{ drilldown.stats_qualified(result, ns.previous) }}{{ ns.closing }})
{%- endmacro %}

{#- `expression` with each name of `step` read from the step's lambda variable (stats_<step name>.<name>). -#}
{% macro stats_qualified(expression, step) -%}
    {%- set ns = namespace(sql=expression) -%}
    {%- if step is not none -%}
        {%- for name, _ in step['columns'] -%}
            {%- set ns.sql = modules.re.sub('(?<![.\\w])' ~ name ~ '\\b', 'stats_' ~ step['name'] ~ '.' ~ name, ns.sql) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(ns.sql) }}
{%- endmacro %}
