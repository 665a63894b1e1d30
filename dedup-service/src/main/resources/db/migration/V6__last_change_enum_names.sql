-- V3 gave existing papers the wire spelling ('updated'); the column holds the enum's name ('UPDATED').
update paper set last_change = upper(replace(last_change, '-', '_')) where last_change <> upper(replace(last_change, '-', '_'));
alter table paper alter column last_change set default 'UPDATED';
